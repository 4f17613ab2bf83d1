#pragma once

#include "loadconnection.h"

#include <QJsonObject>

class HistoryFetcher;

// A client in the desktop client's dialect (JSON lines, protocol version 2, an identity kept
// across reconnects): sends numbered messages ("c3-17") each with that text as its cid, at
// most two unacknowledged at a time; an echo (a message with its cid or text) or a `sent`
// acknowledges one. After a lost connection it resumes with since and token on a random
// server and sends again, with the same cid, what the resumed history does not show. A
// server that refuses the cid field (bad-field) gets the rest without it.
class JsonLoadClient : public LoadConnection
{
    Q_OBJECT

public:
    // proxyPorts: the proxy in front of each server.
    JsonLoadClient(int index, quint32 seed, const QList<quint16> &proxyPorts, bool randomDrops,
                   Timeline *timeline, QObject *parent = nullptr);
    ~JsonLoadClient() override;

    // The first connection goes to server index (modulo their number), not to a random one.
    void start() override;
    // The last connection, straight to a random server (directPorts): resume after the last
    // id, then read the whole history; finished() follows.
    void finish(const QList<quint16> &directPorts);

Q_SIGNALS:
    void finished();

private:
    void beginConnection() override;
    QString connectionDetail() const override;
    void greet() override;
    void handleLine(const QByteArray &line) override;
    void sendNext() override;
    void lost(const QString &why) override;
    void handle(const QJsonObject &object);
    void handleMessage(const QJsonObject &message, bool replay);
    void acknowledge(const QString &key, qint64 id, const QString &by);
    void sendKey(const QString &key);
    void keepAlive();
    void write(const QByteArray &line);

    int m_index;
    QString m_identity;
    QString m_token;
    bool m_welcomed = false;
    bool m_useCid = true;
    bool m_useNick = true;
    qint64 m_lastId = 0;
    qint64 m_lastHeard = 0;
    int m_pingCounter = 0;
    QTimer m_keepAliveTimer;
    QTimer m_resendTimer; // after an `unavailable` refusal
    HistoryFetcher *m_final = nullptr;
};
