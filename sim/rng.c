/* stub */
#include "rng.h"
typedef int stub_unused_t;
