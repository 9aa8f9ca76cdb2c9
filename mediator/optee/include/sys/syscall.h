/* SPDX-License-Identifier: BSD-2-Clause */
/* A TA on OP-TEE has no Linux system calls: deliberately no SYS_* numbers. */
