#include "nickcolor.h"

#include "nickrules.h"

#include <iterator>

namespace {

// Eight hues that are easy to tell apart at a glance (similar hues such as red, brown and
// orange, or blue, slate and teal, looked alike), in an order that puts neighbours far apart.
// Lightness is for a light background; yellows and greens are drawn darker than blues so
// that all read equally well. The second shade of each is darker on light backgrounds and
// lighter on dark ones.
struct Hue
{
    int degrees;
    float saturation;
    float lightOnLight;
};
constexpr Hue hues[] = {
    { 0, 0.75f, 0.42f }, // red
    { 180, 0.80f, 0.26f }, // teal
    { 280, 0.55f, 0.50f }, // purple
    { 55, 0.90f, 0.26f }, // olive
    { 218, 0.75f, 0.47f }, // blue
    { 28, 0.90f, 0.36f }, // orange
    { 125, 0.60f, 0.29f }, // green
    { 322, 0.70f, 0.42f }, // magenta
};
static_assert(std::size(hues) * 2 == NickColor::paletteSize);

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

int NickColor::preferredIndex(const QString &nick)
{
    // A first shade: second shades are for conversations with more people than hues.
    return int(stableHash(NickRules::key(nick)) % (paletteSize / 2));
}

QColor NickColor::colorAt(int index, const QColor &background)
{
    index = ((index % paletteSize) + paletteSize) % paletteSize;
    const Hue &hue = hues[index % std::size(hues)];
    const bool secondShade = index >= int(std::size(hues));
    const bool darkBackground = background.lightnessF() < 0.5;
    float lightness = darkBackground ? 0.68f : hue.lightOnLight;
    if (secondShade)
        lightness = darkBackground ? 0.82f : lightness * 0.62f;
    return QColor::fromHslF(float(hue.degrees) / 360.0f, secondShade ? hue.saturation * 0.8f : hue.saturation,
                            lightness);
}

int NickPalette::indexFor(const QString &nick)
{
    const QString key = NickRules::key(nick);
    if (const auto it = m_assigned.constFind(key); it != m_assigned.constEnd())
        return *it;
    const int preferred = NickColor::preferredIndex(nick);
    int chosen = preferred;
    if (m_uses[size_t(preferred)] > 0) {
        // The least used entry, the first shades first, then nearest after the preferred one.
        constexpr int hueCount = NickColor::paletteSize / 2;
        int best = -1;
        for (int shade = 0; shade < 2; ++shade) {
            for (int step = 0; step < hueCount; ++step) {
                const int candidate = shade * hueCount + (preferred + step) % hueCount;
                if (best < 0 || m_uses[size_t(candidate)] < m_uses[size_t(best)])
                    best = candidate;
            }
        }
        chosen = best;
    }
    ++m_uses[size_t(chosen)];
    m_assigned.insert(key, chosen);
    return chosen;
}
