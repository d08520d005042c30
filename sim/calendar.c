/* stub */
#include "calendar.h"
typedef int stub_unused_t;
