#pragma once

#include <cstddef>
#include <cstdint>

// libFuzzer's entry point, which each fuzz_<target>.cpp defines: one input, any bytes.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
