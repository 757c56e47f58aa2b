# Install the library, headers and a package config so another CMake project can
#   find_package(Quire REQUIRED)  and  target_link_libraries(app PRIVATE Quire::quire)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS quire quire_format quire_writer quire_reader quire_cli
  EXPORT QuireTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(dir format writer reader)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/${dir}
    FILES_MATCHING PATTERN "*.h" PATTERN "*.capnp")
endforeach()
install(FILES ${PROJECT_BINARY_DIR}/format/quire.capnp.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/format)
install(EXPORT QuireTargets NAMESPACE Quire:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Quire)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/QuireConfig.cmake.in
  ${PROJECT_BINARY_DIR}/QuireConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Quire)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/QuireConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/QuireConfig.cmake ${PROJECT_BINARY_DIR}/QuireConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/Quire)
