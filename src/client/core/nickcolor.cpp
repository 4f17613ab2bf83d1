#include "nickcolor.h"

#include "nickrules.h"

#include <iterator>

namespace {

// Ten colours that are easy to tell apart at a glance (hues alone would give several blues),
// in an order that puts neighbours far apart. Lightness is for a light background; yellows
// and greens are drawn darker than blues so that all read equally well.
struct Hue
{
    int degrees;
    float saturation;
    float lightOnLight;
};
constexpr Hue hues[] = {
    { 0, 0.75f, 0.42f }, // red
    { 175, 0.75f, 0.27f }, // teal
    { 275, 0.60f, 0.45f }, // purple
    { 50, 0.85f, 0.27f }, // olive
    { 215, 0.75f, 0.42f }, // blue
    { 25, 0.85f, 0.38f }, // orange
    { 120, 0.60f, 0.28f }, // green
    { 315, 0.65f, 0.40f }, // magenta
    { 20, 0.50f, 0.32f }, // brown
    { 205, 0.25f, 0.38f }, // slate
};

quint32 stableHash(const QString &text)
{
    // FNV-1a, then a finaliser that spreads the low bits: qHash is seeded per process and
    // would give everyone a new colour at every start.
    quint32 hash = 2166136261u;
    for (const char byte : text.toUtf8()) {
        hash ^= static_cast<unsigned char>(byte);
        hash *= 16777619u;
    }
    hash ^= hash >> 16;
    hash *= 0x85ebca6bu;
    hash ^= hash >> 13;
    hash *= 0xc2b2ae35u;
    hash ^= hash >> 16;
    return hash;
}

} // namespace

QColor NickColor::forNick(const QString &nick, const QColor &background)
{
    const Hue &hue = hues[stableHash(NickRules::key(nick)) % std::size(hues)];
    const bool darkBackground = background.lightnessF() < 0.5;
    return QColor::fromHslF(float(hue.degrees) / 360.0f, hue.saturation,
                            darkBackground ? 0.70f : hue.lightOnLight);
}
