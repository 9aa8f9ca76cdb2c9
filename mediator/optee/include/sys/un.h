/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef TZM_OPTEE_SYS_UN_H
#define TZM_OPTEE_SYS_UN_H

#include <sys/socket.h>

struct TZM_SOCKADDR_ALIAS sockaddr_un {
	sa_family_t sun_family;
	char sun_path[108];
};

#endif
