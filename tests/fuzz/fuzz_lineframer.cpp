// libFuzzer target: the line framer, fed arbitrary bytes in arbitrary chunks with small limits.
// Whatever comes in, no line it hands out is longer than the limit or holds a newline, and it
// never holds more than the limit (plus the CR of a CRLF) of an unfinished line.
#include "fuzztarget.h"
#include "lineframer.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    // The first byte picks the limit (1 to 256), the second the chunk sizes: small limits and
    // odd chunks reach the overlong and CRLF paths often.
    const qsizetype limit = 1 + qsizetype(data[0]);
    const size_t chunkStep = 1 + data[1] % 31;
    LineFramer framer(limit);
    const char *bytes = reinterpret_cast<const char *>(data) + 2;
    size_t left = size - 2;
    qsizetype overlong = 0;
    size_t chunk = chunkStep;
    while (left > 0) {
        const size_t take = chunk < left ? chunk : left;
        framer.feed(
                QByteArrayView(bytes, qsizetype(take)),
                [limit](QByteArrayView line) {
                    if (line.size() > limit || line.contains('\n'))
                        std::abort();
                },
                [&overlong] { ++overlong; });
        if (framer.bufferedBytes() > limit + 1)
            std::abort();
        bytes += take;
        left -= take;
        chunk = chunk % 97 + chunkStep;
    }
    return 0;
}
