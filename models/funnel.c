/* SPDX-License-Identifier: MIT (stub, being written) */
#include "funnel.h"
typedef int stub_unused_t;
