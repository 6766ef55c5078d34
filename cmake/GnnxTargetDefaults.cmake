# The precompiled LibTorch header (<torch/types.h>, about 320 MB per copy): two copies for the
# whole build, one position-independent for the libraries, one for the executables, shared by
# every target through REUSE_FROM. A copy per target (58 of them) took 18.5 GB of disk and
# filled CI's disk. GCC and clang accept a PCH only when it was compiled with the same -fPIC and
# sanitizer flags and with no macro the consumer lacks, so the hosts are bare: LibTorch's
# usage requirements and the directory-wide options, nothing target-specific.
function(gnnx_add_pch_hosts)
  if(NOT GNNX_PCH)
    return()
  endif()
  set(host_source ${CMAKE_BINARY_DIR}/gnnx_pch_host.cpp)
  file(CONFIGURE OUTPUT ${host_source} CONTENT "// Compiles the shared precompiled header.\n")
  foreach(host gnnx_pch_library gnnx_pch_executable)
    add_library(${host} OBJECT ${host_source})
    target_link_libraries(${host} PRIVATE ${TORCH_LIBRARIES})
    target_precompile_headers(${host} PRIVATE <torch/types.h>)
  endforeach()
  set_target_properties(gnnx_pch_library PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# gnnx_target_defaults(target): warnings, the allocator of executables (GnnxAllocator.cmake)
# and the shared precompiled LibTorch header.
function(gnnx_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    gnnx_use_allocator(${target})
  endif()
  if(NOT GNNX_PCH)
    return()
  endif()
  get_target_property(pic ${target} POSITION_INDEPENDENT_CODE)
  if(type STREQUAL "EXECUTABLE" AND NOT pic)
    target_precompile_headers(${target} REUSE_FROM gnnx_pch_executable)
  elseif(type MATCHES "^(STATIC|SHARED)_LIBRARY$" AND pic)
    target_precompile_headers(${target} REUSE_FROM gnnx_pch_library)
  else()
    # The Python module (hidden visibility) and anything else unusual keeps a copy of its own.
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
