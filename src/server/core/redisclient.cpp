#include "redisclient.h"

#include "hostport.h"

#include <QSocketNotifier>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

namespace {

constexpr int connectTimeoutMs = 2000;
constexpr int retryDelayMs = 1000;

RedisClient *owner(const redisAsyncContext *context)
{
    return context ? static_cast<RedisClient *>(context->data) : nullptr;
}

} // namespace

RedisReply RedisReply::from(const redisReply *reply)
{
    RedisReply result;
    if (!reply)
        return result;
    switch (reply->type) {
    case REDIS_REPLY_INTEGER:
        result.type = Type::Integer;
        result.integer = reply->integer;
        break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        result.type = reply->type == REDIS_REPLY_STRING   ? Type::String
                      : reply->type == REDIS_REPLY_STATUS ? Type::Status
                                                          : Type::Error;
        result.string = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ARRAY:
        result.type = Type::Array;
        result.elements.reserve(qsizetype(reply->elements));
        for (size_t i = 0; i < reply->elements; ++i)
            result.elements.append(from(reply->element[i]));
        break;
    default:
        break;
    }
    return result;
}

RedisClient::RedisClient(const QString &host, quint16 port, QObject *parent)
    : QObject(parent), m_host(host), m_port(port)
{
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this,
            [this] { lost(QStringLiteral("no answer within %1 s").arg(connectTimeoutMs / 1000)); });
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &RedisClient::open);
}

RedisClient::~RedisClient()
{
    if (m_context) {
        m_context->data = nullptr; // callbacks from the free below find no owner
        redisAsyncContext *context = m_context;
        m_context = nullptr;
        redisAsyncFree(context);
    }
}

QString RedisClient::address() const
{
    return HostPort{ m_host, m_port }.toString();
}

void RedisClient::open()
{
    if (m_context)
        return;
    m_retryTimer.stop();
    redisAsyncContext *context = redisAsyncConnect(m_host.toUtf8().constData(), m_port);
    if (!context || context->err) {
        const QString why = context ? QString::fromUtf8(context->errstr) : QStringLiteral("out of memory");
        if (context)
            redisAsyncFree(context);
        lost(why);
        return;
    }
    m_context = context;
    context->data = this;
    context->ev.data = this;
    context->ev.addRead = &RedisClient::addRead;
    context->ev.delRead = &RedisClient::delRead;
    context->ev.addWrite = &RedisClient::addWrite;
    context->ev.delWrite = &RedisClient::delWrite;
    context->ev.cleanup = &RedisClient::cleanup;
    redisAsyncSetConnectCallback(context, &RedisClient::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisClient::onDisconnect);
    m_connectTimer.start(connectTimeoutMs);
}

void RedisClient::command(const QList<QByteArray> &arguments, ReplyHandler onReply)
{
    if (!m_context || !m_connected) {
        if (onReply) {
            RedisReply reply;
            reply.type = RedisReply::Type::Disconnected;
            reply.string = "not connected";
            onReply(reply);
        }
        return;
    }
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    argv.reserve(size_t(arguments.size()));
    lengths.reserve(size_t(arguments.size()));
    for (const QByteArray &argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(size_t(argument.size()));
    }
    const quintptr request = m_nextRequest++;
    if (onReply)
        m_pending.insert(request, std::move(onReply));
    // The request number, not a pointer, travels through hiredis: a reply that comes after
    // its handler was failed finds nothing.
    if (redisAsyncCommandArgv(m_context, &RedisClient::onReply, reinterpret_cast<void *>(request),
                              int(argv.size()), argv.data(), lengths.data()) != REDIS_OK) {
        if (ReplyHandler handler = m_pending.take(request)) {
            RedisReply reply;
            reply.type = RedisReply::Type::Disconnected;
            reply.string = "cannot send";
            handler(reply);
        }
    }
}

void RedisClient::onConnect(const redisAsyncContext *context, int status)
{
    RedisClient *client = owner(context);
    if (!client)
        return;
    client->m_connectTimer.stop();
    if (status != REDIS_OK) {
        // hiredis frees the context after this callback.
        const QString why = QString::fromUtf8(context->errstr);
        client->m_context = nullptr;
        client->lost(why);
        return;
    }
    client->m_connected = true;
    client->m_lastError.clear();
    Q_EMIT client->connected();
}

void RedisClient::onDisconnect(const redisAsyncContext *context, int status)
{
    RedisClient *client = owner(context);
    if (!client)
        return;
    // hiredis frees the context after this callback.
    client->m_context = nullptr;
    client->lost(status == REDIS_OK ? QStringLiteral("disconnected") : QString::fromUtf8(context->errstr));
}

void RedisClient::onReply(redisAsyncContext *context, void *reply, void *privdata)
{
    RedisClient *client = owner(context);
    if (!client)
        return;
    ReplyHandler handler = client->m_pending.take(reinterpret_cast<quintptr>(privdata));
    if (!handler)
        return;
    if (!reply) {
        RedisReply lostReply;
        lostReply.type = RedisReply::Type::Disconnected;
        lostReply.string = "connection lost";
        handler(lostReply);
        return;
    }
    handler(RedisReply::from(static_cast<const redisReply *>(reply)));
}

void RedisClient::lost(const QString &why)
{
    m_connectTimer.stop();
    if (m_context) {
        // A connect that hangs: give it up ourselves.
        redisAsyncContext *context = m_context;
        m_context = nullptr;
        context->data = nullptr;
        redisAsyncFree(context);
    }
    const bool wasConnected = m_connected;
    m_connected = false;
    m_lastError = why;
    failPending(why);
    if (wasConnected || !m_retryTimer.isActive())
        Q_EMIT disconnected(why);
    m_retryTimer.start(retryDelayMs);
}

void RedisClient::failPending(const QString &why)
{
    const QHash<quintptr, ReplyHandler> pending = std::exchange(m_pending, {});
    RedisReply reply;
    reply.type = RedisReply::Type::Disconnected;
    reply.string = why.toUtf8();
    for (const ReplyHandler &handler : pending)
        handler(reply);
}

void RedisClient::watch(QSocketNotifier::Type type, bool on)
{
    QSocketNotifier *&notifier = type == QSocketNotifier::Read ? m_readNotifier : m_writeNotifier;
    if (!notifier) {
        if (!on)
            return;
        notifier = new QSocketNotifier(m_context->c.fd, type, this);
        connect(notifier, &QSocketNotifier::activated, this, [this, type] {
            if (!m_context)
                return;
            if (type == QSocketNotifier::Read)
                redisAsyncHandleRead(m_context);
            else
                redisAsyncHandleWrite(m_context);
        });
    }
    notifier->setEnabled(on);
}

void RedisClient::addRead(void *data)
{
    static_cast<RedisClient *>(data)->watch(QSocketNotifier::Read, true);
}

void RedisClient::delRead(void *data)
{
    static_cast<RedisClient *>(data)->watch(QSocketNotifier::Read, false);
}

void RedisClient::addWrite(void *data)
{
    static_cast<RedisClient *>(data)->watch(QSocketNotifier::Write, true);
}

void RedisClient::delWrite(void *data)
{
    static_cast<RedisClient *>(data)->watch(QSocketNotifier::Write, false);
}

void RedisClient::cleanup(void *data)
{
    // The descriptor is about to close: the notifiers must go with it. Possibly from inside
    // one of their own activations, hence deleteLater.
    auto *client = static_cast<RedisClient *>(data);
    for (QSocketNotifier **notifier : { &client->m_readNotifier, &client->m_writeNotifier }) {
        if (*notifier) {
            (*notifier)->setEnabled(false);
            (*notifier)->deleteLater();
            *notifier = nullptr;
        }
    }
}
