# The memory allocator of gnnx's programs (the command line and the benchmark programs).
#
# Explaining molecules allocates and frees thousands of small tensors and RDKit objects per
# second; glibc's malloc spent about a fifth of `mol_bench`'s time in malloc/free and
# malloc_consolidate. Measured with LD_PRELOAD on one binary, back to back (BBBP, one thread,
# README "Molecule pipeline speed"): predict + explain with saliency 2,241 molecules/s with glibc,
# 2,781 with gperftools' tcmalloc (1.24x), 2,634 with mimalloc. jemalloc was as fast on molecules
# but cost SubgraphX 3.9 s of system time per 3 MUTAG graphs (glibc 0.15 s): it keeps handing the
# pages of freed large tensors back to the kernel and faulting them in again. PyTorch's CPU
# performance guide recommends tcmalloc and jemalloc.
#
# Only executables link it: a library cannot choose the process's allocator, and the Python
# module runs inside an interpreter that already allocates with glibc. Sanitizer builds keep
# their own allocator.
#
#   GNNX_ALLOCATOR  tcmalloc (default; Debian: libtcmalloc-minimal4) | jemalloc | system
#
# A missing allocator library is a warning, not an error: the programs then use glibc's malloc
# (the GPU machine's image, for instance, has neither).
set(GNNX_ALLOCATOR "tcmalloc" CACHE STRING "Allocator linked into gnnx's programs: tcmalloc, jemalloc or system")
set_property(CACHE GNNX_ALLOCATOR PROPERTY STRINGS tcmalloc jemalloc system)

set(_gnnx_allocator_library "")
if(GNNX_SANITIZE)
  message(STATUS "gnnx allocator: the sanitizers' own (GNNX_SANITIZE)")
elseif(GNNX_ALLOCATOR STREQUAL "tcmalloc")
  # The minimal build: only the allocator, no heap profiler or checker. Its runtime package has
  # no unversioned libtcmalloc_minimal.so; nothing includes a gperftools header.
  find_library(GNNX_TCMALLOC_LIBRARY NAMES tcmalloc_minimal libtcmalloc_minimal.so.4)
  set(_gnnx_allocator_library ${GNNX_TCMALLOC_LIBRARY})
  set(_gnnx_allocator_package libtcmalloc-minimal4)
elseif(GNNX_ALLOCATOR STREQUAL "jemalloc")
  find_library(GNNX_JEMALLOC_LIBRARY NAMES jemalloc libjemalloc.so.2)
  set(_gnnx_allocator_library ${GNNX_JEMALLOC_LIBRARY})
  set(_gnnx_allocator_package libjemalloc-dev)
elseif(NOT GNNX_ALLOCATOR STREQUAL "system")
  message(FATAL_ERROR "GNNX_ALLOCATOR is '${GNNX_ALLOCATOR}': use tcmalloc, jemalloc or system")
endif()

if(NOT GNNX_SANITIZE AND NOT GNNX_ALLOCATOR STREQUAL "system")
  if(_gnnx_allocator_library)
    message(STATUS "gnnx allocator: ${GNNX_ALLOCATOR} (${_gnnx_allocator_library})")
  else()
    message(WARNING "gnnx allocator: ${GNNX_ALLOCATOR} not found (Debian: apt install "
                    "${_gnnx_allocator_package}); the programs use glibc's malloc")
  endif()
endif()

# gnnx_use_allocator(target): links the chosen allocator into an executable. --no-as-needed
# keeps it even though nothing names one of its symbols directly: it replaces malloc and
# operator new for every library of the process only because it is loaded before glibc.
function(gnnx_use_allocator target)
  if(_gnnx_allocator_library)
    target_link_libraries(${target} PRIVATE
      -Wl,--push-state,--no-as-needed ${_gnnx_allocator_library} -Wl,--pop-state)
  endif()
endfunction()
