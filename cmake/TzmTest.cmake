# SPDX-License-Identifier: BSD-2-Clause
# tzm_add_test(NAME <name> COMMAND <cmd> [args...] [TIMEOUT <s>] [LABELS <l>...]
#              [ENVIRONMENT <K=V>...])
#
# Registers a CTest test that runs through cmake/run-test.sh: each test gets its own
# private TEE (fresh TZM_RUNTIME_DIR and TZM_STATE_DIR, so its own on-demand tzm-teed),
# the build tree's TA directory and binaries, and a guaranteed teardown of the TEE it
# started. Tests can therefore run in parallel (ctest -j) without seeing each other.
# Under qemu-user (cross builds) every TIMEOUT is three times the one given.
set(TZM_RUN_TEST ${CMAKE_CURRENT_LIST_DIR}/run-test.sh)

function(tzm_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "COMMAND;LABELS;ENVIRONMENT" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_test(NAME ${T_NAME} COMMAND ${TZM_RUN_TEST} ${T_COMMAND})
  set(env
      "TZM_BUILD_DIR=${CMAKE_BINARY_DIR}"
      "TZM_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
      "TZM_TA_DIR=${TZM_BUILD_TA_DIR}"
      "TZM_TEED=${TZM_BUILD_LIBEXEC_DIR}/tzm-teed"
      "TZM_TEST_NAME=${T_NAME}"
      # a shadow handler answering an errno outside its opcode's set aborts tzm-run
      "TZM_SHADOW_STRICT_ERRNO=1"
      ${T_ENVIRONMENT})
  if(CMAKE_CROSSCOMPILING AND TZM_QEMU_WRAPPER)
    list(APPEND env "TZM_EXEC_WRAPPER=${TZM_QEMU_WRAPPER}")
    # Every process runs emulated (5-10 times slower): e.g. mediator_signals_ta takes
    # 80 s of its 120 under qemu-user at ctest -j2 on an idle 2-core machine.
    math(EXPR T_TIMEOUT "${T_TIMEOUT} * 3")
  endif()
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} ENVIRONMENT "${env}")
  if(T_LABELS)
    set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()

# tzm_cross_env(<var>): the environment a test that builds with the installed dev kit
# needs in a cross build (TZM_CROSS_COMPILE: the compiler's prefix, TZM_TOOLCHAIN_FILE);
# empty natively.
function(tzm_cross_env var)
  set(env)
  if(CMAKE_CROSSCOMPILING)
    get_filename_component(cc_name ${CMAKE_C_COMPILER} NAME)
    string(REGEX REPLACE "(gcc|cc|clang)(-[0-9.]+)?$" "" cross ${cc_name})
    list(APPEND env TZM_CROSS_COMPILE=${cross} TZM_TOOLCHAIN_FILE=${CMAKE_TOOLCHAIN_FILE})
  endif()
  set(${var} ${env} PARENT_SCOPE)
endfunction()
