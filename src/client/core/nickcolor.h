#pragma once

#include <QColor>
#include <QString>

// Each nick's own colour, the same on every machine and in every session, readable on the
// window's background.
class NickColor
{
public:
    static QColor forNick(const QString &nick, const QColor &background);
};
