#pragma once

#include <QList>
#include <QStringView>

// Where a text shows emoji in emoji (colour) presentation, so that a view can draw those
// stretches with a colour emoji font: Qt 6.4 picks a glyph by font order alone, and a text
// font that has a black-and-white 😀 (DejaVu Sans does) wins over the colour font.
class EmojiText
{
public:
    // A stretch of a text: its first UTF-16 unit and how many units it spans.
    struct Run
    {
        qsizetype start = 0;
        qsizetype length = 0;
        bool operator==(const Run &other) const { return start == other.start && length == other.length; }
    };

    // Whether the user-perceived character (one extended grapheme cluster, UAX #29) cluster is
    // shown as an emoji by default (Unicode UTS #51 section 4, "Presentation Style"): its first
    // code point has Emoji_Presentation (😀, 🎉, regional indicators of a flag), or it has the
    // Emoji property and the cluster holds the emoji variation selector U+FE0F (❤️) or the
    // combining enclosing keycap U+20E3 (1️⃣). Text-style emoji without a selector (© ™ ☺) are
    // not.
    static bool isEmojiCluster(QStringView cluster);
    // The maximal stretches of text made of emoji clusters (isEmojiCluster), in order; none for
    // a text without one. Whole clusters always: a family emoji with its joiners, a flag, a
    // skin tone with its base.
    static QList<Run> runs(QStringView text);
};
