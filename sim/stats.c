/* stub */
#include "stats.h"
typedef int stub_unused_t;
