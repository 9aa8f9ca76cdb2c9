/* SPDX-License-Identifier: BSD-2-Clause */
/* uname (ta/proc.c): the shadow's host names, Linux's layout. */
#ifndef TZM_OPTEE_SYS_UTSNAME_H
#define TZM_OPTEE_SYS_UTSNAME_H

struct utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
	char domainname[65];
};

int uname(struct utsname *u);

#endif
