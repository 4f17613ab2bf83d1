#pragma once

#include <QColor>
#include <QHash>
#include <QString>

#include <array>

// Nick colours: a palette of colours that are easy to tell apart and readable on the window's
// background (WCAG's 3:1 for bold text on light and dark backgrounds), and the entry each nick
// prefers, the same on every machine and in every session.
class NickColor
{
public:
    // Eight hues well apart, each in two shades: the first eight entries are the eight hues.
    static constexpr int paletteSize = 16;

    // The entry nick prefers, one of the eight hues (0 to paletteSize / 2 - 1): a stable hash
    // of its NickRules::key, so Alice and ALICE prefer one colour.
    static int preferredIndex(const QString &nick);
    // Palette entry index (taken modulo paletteSize), drawn on background.
    static QColor colorAt(int index, const QColor &background);
    // The colour of nick's preferred entry; a conversation uses NickPalette instead, which
    // keeps its people apart.
    static QColor forNick(const QString &nick, const QColor &background)
    {
        return colorAt(preferredIndex(nick), background);
    }
};

// The colours of the people of one conversation: each nick gets its preferred entry when
// nobody here has it yet, otherwise the least used entry (the eight hues before their second
// shades), so that up to paletteSize people all have colours of their own; the first colour a
// nick is given here stays its colour.
class NickPalette
{
public:
    // nick's palette entry in this conversation, chosen on its first sight.
    int indexFor(const QString &nick);
    QColor colorFor(const QString &nick, const QColor &background)
    {
        return NickColor::colorAt(indexFor(nick), background);
    }

private:
    QHash<QString, int> m_assigned; // NickRules::key -> entry
    std::array<int, NickColor::paletteSize> m_uses{};
};
