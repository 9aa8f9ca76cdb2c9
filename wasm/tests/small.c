// SPDX-License-Identifier: BSD-2-Clause
/* wasm_bad_modules: a valid module, built with a large initial memory or as a reactor. */
#include <stdio.h>

int main(void)
{
	puts("small");
	return 0;
}
