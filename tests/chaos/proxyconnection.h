#pragma once

#include <QObject>
#include <QTcpSocket>

// One connection through a FaultProxy: the accepted socket and the one to the target, bytes
// copied both ways as they come. It ends (finished) when either side ends; cut() resets both
// at once, cutMidStream() forwards half of the next chunk the client sends (or cuts at once
// when nothing comes within a second) and then resets both.
class ProxyConnection : public QObject
{
    Q_OBJECT

public:
    ProxyConnection(QTcpSocket *accepted, quint16 targetPort, QObject *parent = nullptr);
    ~ProxyConnection() override;

    void cut();
    void cutMidStream();
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void finished();

private:
    void forwardDown();
    void forwardUp();
    void endGracefully(QTcpSocket *from);
    void finish();

    QTcpSocket *m_down; // the client's side
    QTcpSocket *m_up; // the target's side
    QByteArray m_pending; // from the client before the target answered
    bool m_upConnected = false;
    bool m_cutArmed = false;
    bool m_finished = false;
};
