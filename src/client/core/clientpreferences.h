#pragma once

#include <QString>

class QSettings;

// What the user chose in Preferences, saved with QSettings under "preferences/". Defaults: the
// desktop's theme, the desktop's font, the locale's clock, the system's language.
struct ClientPreferences
{
    enum class Theme { System, Light, Dark };
    enum class Clock { System, TwentyFourHour, TwelveHour };

    Theme theme = Theme::System;
    // The conversation's font; empty family: the desktop's. size in points, 0: the desktop's.
    QString fontFamily;
    int fontSize = 0;
    Clock clock = Clock::System;
    // A locale name the program has a translation for ("en", "zh_CN"); empty: the system's.
    // Takes effect at the next start, when the translations are loaded.
    QString language;

    static constexpr int minFontSize = 6;
    static constexpr int maxFontSize = 48;

    // Reads what save() wrote; anything out of range or unknown is the default.
    static ClientPreferences load(const QSettings &settings);
    void save(QSettings &settings) const;

    // The QTime format of the time in front of each line: "HH:mm", "h:mm AP", or the locale's
    // short time format without seconds (System).
    QString timeFormat() const;

    bool operator==(const ClientPreferences &other) const;
    bool operator!=(const ClientPreferences &other) const { return !(*this == other); }
};
