# SPDX-License-Identifier: BSD-2-Clause
srcs-y += wordcount.c
