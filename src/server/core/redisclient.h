#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSocketNotifier>
#include <QString>
#include <QTimer>

#include <functional>

struct redisAsyncContext;
struct redisReply;

// One reply from Redis, copied out of hiredis's structures.
struct RedisReply
{
    enum class Type { Nil, Integer, String, Status, Error, Array, Disconnected };
    Type type = Type::Nil;
    qint64 integer = 0;
    QByteArray string; // String, Status, Error
    QList<RedisReply> elements; // Array

    bool isError() const { return type == Type::Error || type == Type::Disconnected; }
    static RedisReply from(const redisReply *reply);
};

// One connection to Redis through hiredis's asynchronous API, driven by the Qt event loop.
// (Debian's hiredis 0.14 ships adapters/qt.h, but it connects to a Qt 5 signal that Qt 6
// no longer has; these few lines do the same with QSocketNotifier.) Reconnects by itself
// after a loss, with a delay; commands while disconnected fail at once.
class RedisClient : public QObject
{
    Q_OBJECT

public:
    using ReplyHandler = std::function<void(const RedisReply &)>;

    RedisClient(const QString &host, quint16 port, QObject *parent = nullptr);
    ~RedisClient() override;

    void open();
    bool isConnected() const { return m_connected; }
    QString address() const;
    QString lastError() const { return m_lastError; }

    // Sends a command; onReply runs with the reply, or with a Disconnected reply when the
    // connection is lost first.
    void command(const QList<QByteArray> &arguments, ReplyHandler onReply = {});

Q_SIGNALS:
    void connected();
    void disconnected(const QString &why);

private:
    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onReply(redisAsyncContext *context, void *reply, void *privdata);
    static void addRead(void *data);
    static void delRead(void *data);
    static void addWrite(void *data);
    static void delWrite(void *data);
    static void cleanup(void *data);
    // hiredis wants to hear when its descriptor is readable (writable), or no longer.
    void watch(QSocketNotifier::Type type, bool on);

    void lost(const QString &why);
    void failPending(const QString &why);

    QString m_host;
    quint16 m_port;
    redisAsyncContext *m_context = nullptr;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    bool m_connected = false;
    QString m_lastError;
    QTimer m_connectTimer; // gives up on a connect that hangs
    QTimer m_retryTimer;
    quintptr m_nextRequest = 1;
    QHash<quintptr, ReplyHandler> m_pending;
};
