/* SPDX-License-Identifier: MIT */
#include <stdio.h>

int main(void)
{
    fputs("funnelsim: under construction\n", stderr);
    return 1;
}
