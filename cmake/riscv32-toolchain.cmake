# CMake toolchain file for flecsim firmware: RV32IMAFC (+Zicsr, Zifencei), ilp32f, bare metal,
# with Debian's riscv64-unknown-elf-gcc and picolibc.
#
# The same -march/-mabi go to the compiler and the linker. GCC 12 does not match the
# "_zicsr_zifencei" suffix to its rv32imafc/ilp32f multilib, so --specs=picolibc.specs would
# link the rv64 libraries; instead this file asks GCC for the rv32imafc/ilp32f multilib directory
# once and passes picolibc's include and library paths explicitly (and libgcc of that multilib).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(RISCV_PREFIX riscv64-unknown-elf- CACHE STRING "prefix of the RISC-V GNU tools")
find_program(RISCV_GCC ${RISCV_PREFIX}gcc REQUIRED)
set(CMAKE_C_COMPILER ${RISCV_GCC})
set(CMAKE_ASM_COMPILER ${RISCV_GCC})
find_program(CMAKE_OBJCOPY ${RISCV_PREFIX}objcopy)
find_program(CMAKE_OBJDUMP ${RISCV_PREFIX}objdump)
find_program(CMAKE_SIZE ${RISCV_PREFIX}size)

set(RISCV_ARCH_FLAGS "-march=rv32imafc_zicsr_zifencei -mabi=ilp32f")
set(PICOLIBC_ROOT /usr/lib/picolibc/riscv64-unknown-elf CACHE PATH "picolibc for riscv64-unknown-elf")
execute_process(COMMAND ${RISCV_GCC} -march=rv32imafc -mabi=ilp32f -print-multi-directory
                OUTPUT_VARIABLE RISCV_MULTILIB OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${RISCV_GCC} -march=rv32imafc -mabi=ilp32f -print-libgcc-file-name
                OUTPUT_VARIABLE RISCV_LIBGCC OUTPUT_STRIP_TRAILING_WHITESPACE)
get_filename_component(RISCV_LIBGCC_DIR ${RISCV_LIBGCC} DIRECTORY)
if(NOT EXISTS ${PICOLIBC_ROOT}/lib/${RISCV_MULTILIB}/libc.a)
  message(FATAL_ERROR "picolibc for ${RISCV_MULTILIB} not found under ${PICOLIBC_ROOT} "
                      "(Debian package picolibc-riscv64-unknown-elf)")
endif()

# -ftls-model=local-exec: what picolibc.specs sets; errno lives in TLS (tp set by crt0).
set(CMAKE_C_FLAGS_INIT
    "${RISCV_ARCH_FLAGS} -isystem ${PICOLIBC_ROOT}/include -ftls-model=local-exec -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${RISCV_ARCH_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "-nostdlib -nostartfiles -L${PICOLIBC_ROOT}/lib/${RISCV_MULTILIB} -L${RISCV_LIBGCC_DIR} -Wl,--gc-sections")
set(CMAKE_C_STANDARD_LIBRARIES "-Wl,--start-group -lc -lgcc -Wl,--end-group")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
