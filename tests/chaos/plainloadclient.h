#pragma once

#include "loadconnection.h"

// An nc-style client: plain lines, no ids, no resume. A receiver only reads (its first line is
// a /nick, so that the server keeps it); a sender also sends numbered lines ("p1-4") without
// any cid, and counts one as acknowledged when it sees it come back. After a lost connection
// it connects again to a random server and starts afresh (the greeting replays the last
// lines, nothing more).
class PlainLoadClient : public LoadConnection
{
    Q_OBJECT

public:
    PlainLoadClient(int index, bool sends, quint32 seed, const QList<quint16> &proxyPorts, bool randomDrops,
                    Timeline *timeline, QObject *parent = nullptr);

    // The load is over: the connection is closed, and no other follows.
    void finish();

private:
    QString connectionDetail() const override;
    void greet() override;
    void handleLine(const QByteArray &line) override;
    void sendNext() override;
    void lost(const QString &why) override;
};
