#include "themeapplier.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

QString ThemeApplier::s_desktopStyle;
QPalette ThemeApplier::s_desktopPalette;
bool ThemeApplier::s_remembered = false;

QPalette ThemeApplier::darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b);
    const QColor base(0x1e, 0x1e, 0x1e);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb0, 0x8c, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb8));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x45, 0x45, 0x45));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::Mid, QColor(0x24, 0x24, 0x24));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x18));
    p.setColor(QPalette::Shadow, Qt::black);
    for (const QPalette::ColorRole role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x40, 0x40, 0x40));
    return p;
}

void ThemeApplier::apply(ClientPreferences::Theme theme, DesktopColorScheme::Scheme desktop)
{
    if (!s_remembered) {
        s_remembered = true;
        s_desktopStyle = QApplication::style()->name();
        s_desktopPalette = QApplication::palette();
    }
    // A desktop that prefers dark, with a platform theme that did not follow it (the usual
    // case with Qt 6.4's generic and GTK themes): the dark theme.
    if (theme == ClientPreferences::Theme::System && desktop == DesktopColorScheme::Scheme::Dark &&
        s_desktopPalette.color(QPalette::Window).lightnessF() >= 0.5)
        theme = ClientPreferences::Theme::Dark;
    switch (theme) {
    case ClientPreferences::Theme::System:
        if (QApplication::style()->name() != s_desktopStyle)
            QApplication::setStyle(QStyleFactory::create(s_desktopStyle));
        QApplication::setPalette(s_desktopPalette);
        break;
    case ClientPreferences::Theme::Light:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(QApplication::style()->standardPalette());
        break;
    case ClientPreferences::Theme::Dark:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
        break;
    }
}
