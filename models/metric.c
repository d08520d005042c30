/* SPDX-License-Identifier: MIT (stub, being written) */
#include "metric.h"
typedef int stub_unused_t;
