#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

// Small helpers the tests of the JSON dialect share.

// object as one compact JSON line (without the line feed), as a client sends it.
inline QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// The "text" of each message of a history or search reply, in order.
inline QStringList texts(const QJsonArray &messages)
{
    QStringList list;
    for (const QJsonValue &message : messages)
        list.append(message.toObject().value(u"text").toString());
    return list;
}
