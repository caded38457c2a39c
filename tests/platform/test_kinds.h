// Small component kinds used only by the platform tests, so the builder can be tested without
// the real crossbar, memories and CPU: a bus, a memory, a master that runs a fixed script, and
// a device with configurable ports.
#pragma once
#include "platform/component.h"

namespace flecsim::testing {

// Registers "tbus" (crossbar), "tmem" (memory), "tmaster" (scripted initiator), "tdev"
// (ports from its config) into `registry`.
void register_test_kinds(ComponentRegistry& registry);
// Level last seen on interrupt input `port` of a "tdev" component.
bool test_device_irq_level(const Component& device, const std::string& port);
// The registry with only the test kinds.
const ComponentRegistry& test_registry();

}  // namespace flecsim::testing
