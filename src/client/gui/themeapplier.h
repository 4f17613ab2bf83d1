#pragma once

#include "clientpreferences.h"

#include <QPalette>
#include <QString>

// Puts the application in the light, dark or desktop theme (Preferences): light and dark are
// Qt's Fusion style with a palette of their own, which looks the same on every desktop; the
// desktop's theme is the style and palette the program started with. Qt 6.4 has no query for
// the desktop's colour scheme (QStyleHints::colorScheme() is 6.5), so "System" keeps what the
// platform theme gave, which follows the desktop where the platform theme does.
class ThemeApplier
{
public:
    // Applies theme to the running application (qApp); the first call remembers the desktop's
    // style and palette for Theme::System.
    static void apply(ClientPreferences::Theme theme);
    // The palette of the dark theme (text on dark grey, readable links and highlights).
    static QPalette darkPalette();

private:
    static QString s_desktopStyle;
    static QPalette s_desktopPalette;
    static bool s_remembered;
};
