#include "avahiqtpoll.h"

#include <QSocketNotifier>
#include <QTimer>

#include <avahi-common/timeval.h>
#include <avahi-common/watch.h>

#include <sys/time.h>

// Avahi names these structs and leaves their contents to the poll implementation.
struct AvahiWatch
{
    int fd = -1;
    AvahiWatchEvent wanted = AvahiWatchEvent(0);
    AvahiWatchEvent happened = AvahiWatchEvent(0);
    AvahiWatchCallback callback = nullptr;
    void *userdata = nullptr;
    QSocketNotifier *read = nullptr;
    QSocketNotifier *write = nullptr;
};

struct AvahiTimeout
{
    QTimer *timer = nullptr;
    AvahiTimeoutCallback callback = nullptr;
    void *userdata = nullptr;
};

namespace {

void watchUpdate(AvahiWatch *w, AvahiWatchEvent event)
{
    w->wanted = event;
    w->read->setEnabled(event & AVAHI_WATCH_IN);
    w->write->setEnabled(event & AVAHI_WATCH_OUT);
}

// Avahi may free the watch from inside its callback: nothing touches w after the call.
void watchActivated(AvahiWatch *w, AvahiWatchEvent event)
{
    w->happened = event;
    w->callback(w, w->fd, event, w->userdata);
}

AvahiWatch *watchNew(const AvahiPoll *, int fd, AvahiWatchEvent event, AvahiWatchCallback callback,
                     void *userdata)
{
    auto *w = new AvahiWatch;
    w->fd = fd;
    w->callback = callback;
    w->userdata = userdata;
    w->read = new QSocketNotifier(fd, QSocketNotifier::Read);
    w->write = new QSocketNotifier(fd, QSocketNotifier::Write);
    QObject::connect(w->read, &QSocketNotifier::activated, w->read,
                     [w] { watchActivated(w, AVAHI_WATCH_IN); });
    QObject::connect(w->write, &QSocketNotifier::activated, w->write,
                     [w] { watchActivated(w, AVAHI_WATCH_OUT); });
    watchUpdate(w, event);
    return w;
}

AvahiWatchEvent watchGetEvents(AvahiWatch *w)
{
    return w->happened;
}

void watchFree(AvahiWatch *w)
{
    // Later: the notifier may be the one whose signal is being delivered.
    w->read->setEnabled(false);
    w->write->setEnabled(false);
    w->read->deleteLater();
    w->write->deleteLater();
    delete w;
}

// tv is an absolute time of gettimeofday's clock; null disables the timeout.
void timeoutUpdate(AvahiTimeout *t, const struct timeval *tv)
{
    if (!tv) {
        t->timer->stop();
        return;
    }
    struct timeval now;
    gettimeofday(&now, nullptr);
    const AvahiUsec usec = avahi_timeval_diff(tv, &now);
    t->timer->start(usec <= 0 ? 0 : int(qMin<AvahiUsec>((usec + 999) / 1000, 24 * 3600 * 1000)));
}

AvahiTimeout *timeoutNew(const AvahiPoll *, const struct timeval *tv, AvahiTimeoutCallback callback,
                         void *userdata)
{
    auto *t = new AvahiTimeout;
    t->callback = callback;
    t->userdata = userdata;
    t->timer = new QTimer;
    t->timer->setSingleShot(true);
    QObject::connect(t->timer, &QTimer::timeout, t->timer, [t] { t->callback(t, t->userdata); });
    timeoutUpdate(t, tv);
    return t;
}

void timeoutFree(AvahiTimeout *t)
{
    t->timer->stop();
    t->timer->deleteLater();
    delete t;
}

} // namespace

AvahiQtPoll::AvahiQtPoll() : m_poll(std::make_unique<AvahiPoll>())
{
    m_poll->userdata = this;
    m_poll->watch_new = watchNew;
    m_poll->watch_update = watchUpdate;
    m_poll->watch_get_events = watchGetEvents;
    m_poll->watch_free = watchFree;
    m_poll->timeout_new = timeoutNew;
    m_poll->timeout_update = timeoutUpdate;
    m_poll->timeout_free = timeoutFree;
}

AvahiQtPoll::~AvahiQtPoll() = default;
