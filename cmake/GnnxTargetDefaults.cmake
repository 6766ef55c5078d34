# gnnx_target_defaults(target): warnings and the precompiled LibTorch header, target-scoped.
function(gnnx_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  if(GNNX_PCH)
    target_precompile_headers(${target} PRIVATE <torch/types.h>)
  endif()
endfunction()

# gnnx_add_library(name folder SOURCES...): a library of one top-level folder, exported as
# gnnx::<folder>, public headers in <folder>/include/gnnx/<folder>/.
function(gnnx_add_library name folder)
  add_library(${name} ${ARGN})
  add_library(gnnx::${folder} ALIAS ${name})
  set_target_properties(${name} PROPERTIES EXPORT_NAME ${folder} POSITION_INDEPENDENT_CODE ON)
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  # Private headers next to the sources, included as "cpu/spmm_kernel.h".
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  gnnx_target_defaults(${name})
  install(TARGETS ${name} EXPORT gnnxTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endfunction()
