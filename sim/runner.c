/* stub */
#include "runner.h"
typedef int stub_unused_t;
