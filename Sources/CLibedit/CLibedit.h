// CLibedit: libedit for Swift.
//
// Swift cannot call C variadic functions (el_set, el_get, history), so this
// header wraps the few calls LineEditing needs in non-variadic static inline
// functions. It also holds the small amount of C state that must live in C:
// an async-signal-safe handler for SIGINT and SIGTSTP writing to a self-pipe,
// and a character reader (EL_GETCFN) that polls stdin and that pipe, so that
// Ctrl-C ends the current read reliably and Ctrl-Z suspends cleanly.
#ifndef CLIBEDIT_H
#define CLIBEDIT_H

#include <histedit.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

// MARK: - Standard streams and terminal

static inline FILE *le_stdin(void) { return stdin; }
static inline FILE *le_stdout(void) { return stdout; }
static inline FILE *le_stderr(void) { return stderr; }

/// Writes a string to stdout and flushes it.
static inline void le_write_stdout(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

/// Width of the terminal on stdout, or 0 when unknown.
static inline int le_terminal_columns(void) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) return ws.ws_col;
    return 0;
}

/// True when the current LC_CTYPE encodes characters in more than one byte.
static inline int le_locale_is_multibyte(void) { return MB_CUR_MAX > 1; }

// MARK: - el_set / el_get wrappers

typedef char *(*le_prompt_fn)(EditLine *);
typedef unsigned char (*le_command_fn)(EditLine *, int);

static inline EditLine *le_init(const char *prog) {
    return el_init(prog, stdin, stdout, stderr);
}
static inline int le_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}
static inline int le_set_signal(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}
static inline int le_set_prompt_esc(EditLine *el, le_prompt_fn fn, char marker) {
    return el_set(el, EL_PROMPT_ESC, fn, marker);
}
static inline int le_set_history(EditLine *el, History *h) {
    return el_set(el, EL_HIST, history, h);
}
static inline int le_set_clientdata(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}
static inline void *le_get_clientdata(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}
static inline int le_add_function(EditLine *el, const char *name, const char *help, le_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}
static inline int le_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, (const char *)NULL);
}

// MARK: - history wrappers

static inline int le_history_int(History *h, HistEvent *ev, int op, int value) {
    return history(h, ev, op, value);
}
static inline int le_history_string(History *h, HistEvent *ev, int op, const char *value) {
    return history(h, ev, op, value);
}
static inline int le_history_file(History *h, HistEvent *ev, int op, FILE *fp) {
    return history(h, ev, op, fp);
}
static inline int le_history_none(History *h, HistEvent *ev, int op) {
    return history(h, ev, op);
}

// MARK: - Signals while reading: self-pipe, handler, reader
//
// While a line is read (le_signals_begin ... le_signals_end), SIGINT and SIGTSTP
// are caught by a handler that only sets a flag and writes a byte to a pipe.
// The reader polls stdin and that pipe, so it wakes up at once and acts outside
// the signal handler: Ctrl-C ends the line, Ctrl-Z restores the terminal, stops
// this process, and redraws the line once it is continued.
// (libedit's own EL_SIGNAL handling re-sends signals to the whole process group.)

static int le_signal_pipe[2] = {-1, -1};
static volatile sig_atomic_t le_interrupt_pending = 0; // set by the handler
static volatile sig_atomic_t le_stop_pending = 0;      // set by the handler
static int le_interrupt_delivered = 0;                  // set by the reader
static int le_catching_stop = 0;
static struct termios le_cooked_modes = {0};
// Initialised: a tentative definition is not emitted when imported into Swift.
static struct sigaction le_previous_sigint = {0};
static struct sigaction le_previous_sigtstp = {0};

static void le_signal_handler(int signo) {
    int saved = errno;
    if (signo == SIGINT) le_interrupt_pending = 1;
    if (signo == SIGTSTP) le_stop_pending = 1;
    if (le_signal_pipe[1] >= 0) {
        ssize_t ignored = write(le_signal_pipe[1], "s", 1);
        (void)ignored;
    }
    errno = saved;
}

static inline void le_drain_signal_pipe(void) {
    char buf[64];
    while (le_signal_pipe[0] >= 0 && read(le_signal_pipe[0], buf, sizeof buf) > 0) {}
}

static inline void le_catch(int signo, struct sigaction *previous) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = le_signal_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; // no SA_RESTART: poll() must wake up
    sigaction(signo, &action, previous);
}

/// Catches SIGINT and SIGTSTP for the duration of one read. Returns 0 on success.
static inline int le_signals_begin(void) {
    if (le_signal_pipe[0] < 0 && pipe2(le_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        le_signal_pipe[0] = le_signal_pipe[1] = -1;
        return -1;
    }
    le_drain_signal_pipe();
    le_interrupt_pending = le_stop_pending = le_interrupt_delivered = 0;
    tcgetattr(STDIN_FILENO, &le_cooked_modes);
    le_catch(SIGINT, &le_previous_sigint);
    le_catch(SIGTSTP, &le_previous_sigtstp);
    le_catching_stop = le_previous_sigtstp.sa_handler != SIG_IGN; // no job control: leave it ignored
    if (!le_catching_stop) sigaction(SIGTSTP, &le_previous_sigtstp, NULL);
    return 0;
}

/// Restores the dispositions that were in place before le_signals_begin.
static inline void le_signals_end(void) {
    sigaction(SIGINT, &le_previous_sigint, NULL);
    if (le_catching_stop) sigaction(SIGTSTP, &le_previous_sigtstp, NULL);
}

/// Returns 1 and clears the flag if Ctrl-C ended the last read.
static inline int le_take_interrupt(void) {
    int was = le_interrupt_delivered;
    le_interrupt_delivered = 0;
    return was;
}

/// Ctrl-Z: give the terminal back in line mode, stop, and on continuing resume editing.
static inline void le_stop_and_resume(EditLine *el) {
    struct termios editing;
    int have_modes = tcgetattr(STDIN_FILENO, &editing) == 0;
    tcsetattr(STDIN_FILENO, TCSADRAIN, &le_cooked_modes);
    sigaction(SIGTSTP, &le_previous_sigtstp, NULL);
    raise(SIGTSTP);                                    // stops here until continued
    le_catch(SIGTSTP, NULL);
    if (have_modes) tcsetattr(STDIN_FILENO, TCSADRAIN, &editing);
    el_set(el, EL_REFRESH);                            // redraw prompt and line
}

/// EL_GETCFN reader: one wide character from stdin, or '\n' after Ctrl-C
/// (which makes libedit finish the line cleanly; le_take_interrupt tells the
/// caller to discard it). Returns 1 on a character, 0 at end of input, -1 on error.
static int le_read_char(EditLine *el, wchar_t *out) {
    char bytes[MB_LEN_MAX];
    size_t count = 0;
    *out = L'\0';
    for (;;) {
        if (le_interrupt_pending) {
            le_interrupt_pending = 0;
            le_interrupt_delivered = 1;
            *out = L'\n';
            return 1;
        }
        if (le_stop_pending) {
            le_stop_pending = 0;
            le_stop_and_resume(el);
            continue;
        }
        struct pollfd fds[2] = {
            {.fd = STDIN_FILENO, .events = POLLIN, .revents = 0},
            {.fd = le_signal_pipe[0], .events = POLLIN, .revents = 0},
        };
        if (poll(fds, le_signal_pipe[0] >= 0 ? 2 : 1, -1) < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (fds[1].revents & POLLIN) {  // the flags are checked at the top
            le_drain_signal_pipe();
            continue;
        }
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t got = read(STDIN_FILENO, bytes + count, 1);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return -1;
        }
        if (got == 0) return 0;
        count += 1;
        mbstate_t state;
        memset(&state, 0, sizeof state);
        size_t result = mbrtowc(out, bytes, count, &state);
        if (result == (size_t)-2) {             // incomplete: read more
            if (count >= MB_LEN_MAX) count = 0;
            continue;
        }
        if (result == (size_t)-1) {             // invalid: drop it
            count = 0;
            continue;
        }
        return 1;
    }
}

static inline int le_install_reader(EditLine *el) {
    return el_set(el, EL_GETCFN, le_read_char);
}

#endif
