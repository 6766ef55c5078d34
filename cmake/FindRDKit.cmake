# FindRDKit: Debian's librdkit-dev ships no CMake config, so find the RDKit* libraries and the
# headers (/usr/include/rdkit) ourselves, plus Cairo for MolDraw2D's PNG output.
# Defines RDKit_FOUND and the imported target RDKit::RDKit.
find_path(RDKit_INCLUDE_DIR GraphMol/ROMol.h PATH_SUFFIXES rdkit)
find_path(Cairo_INCLUDE_DIR cairo.h PATH_SUFFIXES cairo)
find_library(Cairo_LIBRARY cairo)
set(_rdkit_components
  MolDraw2D Depictor SubstructMatch Fingerprints FileParsers SmilesParse ChemTransforms GraphMol
  DataStructs RDGeometryLib RDGeneral)
set(RDKit_LIBRARIES "")
set(_rdkit_missing "")
foreach(_c IN LISTS _rdkit_components)
  find_library(RDKit_${_c}_LIBRARY NAMES RDKit${_c})
  if(RDKit_${_c}_LIBRARY)
    list(APPEND RDKit_LIBRARIES ${RDKit_${_c}_LIBRARY})
  else()
    list(APPEND _rdkit_missing RDKit${_c})
  endif()
endforeach()
include(FindPackageHandleStandardArgs)
# No ';' in the message: cmake_parse_arguments would split it into unknown keywords.
list(JOIN _rdkit_missing ", " _rdkit_missing_text)
find_package_handle_standard_args(RDKit
  REQUIRED_VARS RDKit_INCLUDE_DIR RDKit_LIBRARIES Cairo_INCLUDE_DIR Cairo_LIBRARY
  REASON_FAILURE_MESSAGE "missing: ${_rdkit_missing_text} - install librdkit-dev and libcairo2-dev or configure with -DGNNX_WITH_RDKIT=OFF")
if(RDKit_FOUND AND NOT TARGET RDKit::RDKit)
  find_package(Boost 1.74 REQUIRED)
  add_library(RDKit::RDKit INTERFACE IMPORTED)
  set_target_properties(RDKit::RDKit PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${RDKit_INCLUDE_DIR};${Cairo_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${RDKit_LIBRARIES};${Cairo_LIBRARY};Boost::headers"
    INTERFACE_COMPILE_DEFINITIONS "RDK_BUILD_CAIRO_SUPPORT")
endif()
