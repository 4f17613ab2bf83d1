#pragma once

#include "clientpreferences.h"
#include "desktopcolorscheme.h"

#include <QPalette>
#include <QString>

// Puts the application in the light, dark or desktop theme (Preferences): light and dark are
// Qt's Fusion style with a palette of their own, which looks the same on every desktop; the
// desktop's theme is the style and palette the program started with, or the dark theme when
// the desktop says it prefers dark (DesktopColorScheme, from the XDG portal: Qt 6.4's platform
// themes do not follow it themselves).
class ThemeApplier
{
public:
    // Applies theme to the running application (qApp), with desktop the desktop's preference
    // for Theme::System; the first call remembers the desktop's style and palette.
    static void apply(ClientPreferences::Theme theme,
                      DesktopColorScheme::Scheme desktop = DesktopColorScheme::Scheme::NoPreference);
    // The palette of the dark theme (text on dark grey, readable links and highlights).
    static QPalette darkPalette();

private:
    static QString s_desktopStyle;
    static QPalette s_desktopPalette;
    static bool s_remembered;
};
