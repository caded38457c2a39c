// The RTL bridges add no kinds of their own: `kind: systolic` with `model: rtl` is dispatched by
// register_accel_kinds() to make_systolic_rtl() (systolic_rtl.h).
#include "platform/component.h"

namespace flecsim {

void register_rtlbridge_kinds(ComponentRegistry& /*registry*/) {}

}  // namespace flecsim
