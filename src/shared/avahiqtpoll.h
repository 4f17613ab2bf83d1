#pragma once

#include <memory>

struct AvahiPoll;

// Avahi's event-loop abstraction (avahi-common/watch.h: watches on file descriptors and
// timeouts) on Qt's own event loop: a watch is a QSocketNotifier per direction, a timeout a
// single-shot QTimer. An avahi-client made with poll() is then driven by the thread's event loop
// like any socket, without a thread or glib. Lives on the thread that made it; every watch and
// timeout Avahi makes through it must be freed (avahi_client_free does) before it is destroyed.
class AvahiQtPoll
{
public:
    AvahiQtPoll();
    ~AvahiQtPoll();
    AvahiQtPoll(const AvahiQtPoll &) = delete;
    AvahiQtPoll &operator=(const AvahiQtPoll &) = delete;

    // For avahi_client_new().
    const AvahiPoll *poll() const { return m_poll.get(); }

private:
    std::unique_ptr<AvahiPoll> m_poll;
};
