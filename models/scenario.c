/* SPDX-License-Identifier: MIT (stub, being written) */
#include "scenario.h"
typedef int stub_unused_t;
