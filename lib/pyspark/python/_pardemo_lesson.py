"""Runs the lessons' Python snippets inside pardemo (lib/pyspark/pylesson.c).

A topic's Python part calls call(module, function, args): the snippet
(demos/python/<module>.py, built into the binary) runs in this one
interpreter, and its result goes back to C as numbers. Ctrl-C, SIGTERM and
SIGHUP become KeyboardInterrupt here, so that the snippet's own `with` and
`finally` blocks run; then stop() ends what multiprocessing left running
(children, the fork server, the resource tracker) before pardemo dies of
the signal. A child a snippet forks leaves ^C to this process, which
stops it: one clean ending, not a traceback from every worker.
"""
import os
import signal
import sys
import threading

_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_state = {"signal": 0, "pid": os.getpid()}


def _note(signum, frame):
    """A second signal while the first is being handled: noted only."""
    if os.getpid() == _state["pid"] and not _state["signal"]:
        _state["signal"] = signum


def _interrupt(signum, frame):
    if os.getpid() != _state["pid"]:    # inherited by a forked child
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    _state["signal"] = signum
    for s in _SIGNALS:
        signal.signal(s, _note)         # let the clean-up finish
    sys.unraisablehook = _quiet_finalizers
    _end_children()
    raise KeyboardInterrupt


def _quiet_finalizers(unraisable):
    """After an interrupt: a multiprocessing Finalize that the interrupt
    cut short in its constructor fails when its object dies ("no attribute
    '_key'"). Harmless, and no traceback on the way out; any other error
    is still printed."""
    from multiprocessing import util
    if not isinstance(unraisable.object, util.Finalize):
        sys.__unraisablehook__(unraisable)


def _left_to_with():
    """The processes a `with` block ends: a Manager's server (its clients
    end first, or they would print a traceback when it goes) and a Pool's
    workers (one ended while it holds the task queue's lock, waiting for a
    task, would leave Pool.terminate() waiting for that lock for ever)."""
    import gc
    pool = sys.modules.get("multiprocessing.pool")
    managers = sys.modules.get("multiprocessing.managers")
    left = set()
    for o in gc.get_objects():
        if pool and isinstance(o, pool.Pool):
            left.update(getattr(o, "_pool", ()))
        elif managers and isinstance(o, managers.BaseManager) and \
                getattr(o, "_process", None) is not None:
            left.add(o._process)
    return left


def _end_children():
    """The children end first, before the snippet's `with` blocks unwind:
    each is terminated and waited for (killed if it has not ended within
    a second); then those multiprocessing does not know of."""
    import multiprocessing
    import time
    left = _left_to_with()
    ending = [p for p in multiprocessing.active_children() if p not in left]
    for p in ending:
        p.terminate()
    end = time.monotonic() + 1
    for p in ending:
        p.join(max(0.0, end - time.monotonic()))
        if p.exitcode is None:
            p.kill()
            p.join(5)
    _kill_unknown_children()


def _kill_unknown_children():
    """A child forked as the signal came, before multiprocessing counted
    it, is found in /proc: killed and reaped."""
    for pid in _children() - _known_children():
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass


def _children():
    """The pids of this process's children, from /proc."""
    me, kids = str(os.getpid()), set()
    for d in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/stat" % d) as f:
                after_name = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if after_name[1] == me:     # state, then the parent's pid
            kids.add(int(d))
    return kids


def _known_children():
    """Children multiprocessing counts (its processes, the resource
    tracker, the fork server) and those C had before set-up."""
    import multiprocessing
    known = {p.pid for p in multiprocessing.active_children()}
    known |= _state.get("kids", set())
    tracker = sys.modules.get("multiprocessing.resource_tracker")
    server = sys.modules.get("multiprocessing.forkserver")
    if tracker:
        known.add(tracker._resource_tracker._pid)
    if server:
        known.add(server._forkserver._forkserver_pid)
    return known


def _end_pools(objects):
    """A Pool still running at stop() was cut short by a signal, in its
    constructor or before its `with` block. Its worker-handler thread forks
    a new worker for each one that ends, so stop() would wait for ever on
    workers it never ended: the Pool is terminated first. A Pool whose
    constructor was cut short is gone, but its thread is not: it is found
    by its target, told to end, woken and waited for. After this no thread
    of ours forks."""
    from multiprocessing import pool
    for o in objects:
        if isinstance(o, pool.Pool) and hasattr(o, "_terminate") and \
                getattr(o, "_state", None) != pool.TERMINATE:
            o.terminate()               # made whole: its own terminate()
    handle = pool.Pool._handle_workers.__func__
    for t in threading.enumerate():
        run = getattr(t, "_target", None)   # (set until run() returns)
        if getattr(run, "__func__", None) is handle and t.is_alive():
            t._state = pool.TERMINATE
            t._args[-1].put(None)           # its change notifier
            t.join(5)


def _tasks():
    """The ids of this process's threads, as the kernel lists them."""
    try:
        return {int(t) for t in os.listdir("/proc/self/task")}
    except OSError:
        return set()


def _fork():
    """os.fork, once no thread is still ending in C: a thread Python has
    joined may still be freeing what it held under the allocator's lock;
    a fork at that moment copies the lock held, and the child waits on it
    for ever (seen under ASan). So wait, at most 2 s, until every thread
    is Python's or was there at set-up. This wraps os.fork rather than
    being a before-fork hook: a signal during the wait must interrupt the
    caller, where a hook's exception is printed and ignored."""
    import time
    end = time.monotonic() + 2
    while time.monotonic() < end:
        live = {t.native_id for t in threading.enumerate()}
        if _tasks() <= live | _state["base"]:
            break
        time.sleep(0.001)
    return _state["fork"]()


def _child_after_fork():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    _die_with_parent()


def _die_with_parent():
    """A child forked as pardemo was being interrupted, before
    multiprocessing counted it among its children, would outlive it:
    the kernel ends it when its parent dies (PR_SET_PDEATHSIG). prctl
    was looked up before any fork: a child of a threaded parent must not
    import or dlopen (a lock held at the fork would hang it)."""
    prctl = _state.get("prctl")
    # PR_SET_PDEATHSIG fires when the forking *thread* ends: a child a
    # Pool's handler thread forks must not die with that thread (the
    # forking thread is the child's only one, threading's current)
    if prctl is None or threading.current_thread() is not _state["main"]:
        return
    prctl(1, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != _state["pid"]:   # it died before the prctl
        os._exit(1)


def _find_prctl():
    try:
        import ctypes
        return ctypes.CDLL(None).prctl
    except (ImportError, OSError, AttributeError):
        return None


def setup(start_method):
    """Signals as above; multiprocessing's start method ('' = default)."""
    import multiprocessing
    for s in _SIGNALS:
        if signal.getsignal(s) is not signal.SIG_IGN:   # nohup's stays
            signal.signal(s, _interrupt)
    _state["prctl"] = _find_prctl()
    if os.environ.get("PARDEMO_TEST_DUMP"):     # the suite's, on a hang:
        import faulthandler                     # every thread's traceback
        faulthandler.register(signal.SIGUSR2, all_threads=True)
    _state["base"] = _tasks()           # C's threads, if any, and ours
    _state["kids"] = _children()        # C's children, if any
    _state["main"] = threading.main_thread()
    if os.fork is not _fork:
        _state["fork"] = os.fork
        os.fork = _fork
    os.register_at_fork(after_in_child=_child_after_fork)
    os.environ["PARDEMO_LESSON_CHILD"] = "1"    # spawned ones: entry.c
    _state["default"] = multiprocessing.get_start_method()
    # multiprocessing's temp dir (a Manager's socket) made here, once:
    # forked children use this one, which stop() removes, rather than
    # making their own, which a child ended by a signal would leave
    from multiprocessing import util
    util.get_temp_dir()
    if start_method:
        multiprocessing.set_start_method(start_method, force=True)
    if multiprocessing.get_start_method() != "fork":
        # the resource tracker started now, not while a snippet makes its
        # first named semaphore: a ^C in that long start would leave the
        # semaphore made but not yet registered, and so never removed
        from multiprocessing import resource_tracker
        resource_tracker.ensure_running()


def info():
    """'VERSION METHOD DEFAULT METHODS...' of this Python."""
    import multiprocessing
    default = _state.get("default") or multiprocessing.get_start_method()
    return " ".join([sys.version.split()[0],
                     multiprocessing.get_start_method(), default]
                    + multiprocessing.get_all_start_methods())


def _numbers(r, out):
    if isinstance(r, (int, float)):
        out.append(r)
    else:
        for x in r:
            _numbers(x, out)
    return out


def call(module, function, args):
    """module.function(*args), flattened to a list of numbers. An
    exception is kept as one line (error()) and raised again."""
    import importlib
    try:
        f = getattr(importlib.import_module(module), function)
        return _numbers(f(*args), [])
    except Exception as e:
        import traceback
        frames = traceback.extract_tb(e.__traceback__)
        ours = [f for f in frames if f.filename.startswith("<pardemo>/")
                and not f.filename.endswith("/_pardemo_lesson.py")]
        where = (ours or frames)[-1]    # the snippet's line, if any
        _state["error"] = "%s line %d: %s: %s" % (
            os.path.basename(where.filename), where.lineno,
            type(e).__name__, e)
        raise


def error():
    """The last snippet's exception, as one line ("" if none)."""
    return _state.get("error", "")


def interrupted():
    """The signal that interrupted a snippet, or 0."""
    return _state["signal"]


def stop():
    """Ends what multiprocessing started, so that nothing outlives us:
    children (terminated), the fork server, finalizers (semaphores,
    queues, the temp dir), then the resource tracker (which would warn of anything
    still registered)."""
    import gc
    for s in _SIGNALS:
        signal.signal(s, _note)         # a signal now must not cut it short
    if "multiprocessing" not in sys.modules:
        return
    import multiprocessing
    from multiprocessing import queues, resource_tracker, util
    for q in gc.get_objects():  # a feeder thread blocked on a full pipe,
        if isinstance(q, queues.Queue):     # its reader gone, would hold
            q.cancel_join_thread()          # up the exit for ever
    _end_pools(gc.get_objects())
    for _ in range(100):        # until none is left
        children = multiprocessing.active_children()
        if not children:
            break
        for p in children:
            p.terminate()
        for p in children:
            p.join(10)
            if p.exitcode is None:          # SIGTERM blocked or ignored
                p.kill()
                p.join()
    _kill_unknown_children()
    if "multiprocessing.forkserver" in sys.modules:   # before its dir goes
        sys.modules["multiprocessing.forkserver"]._forkserver._stop()
    gc.collect()
    util._run_finalizers(0)
    util._run_finalizers()
    resource_tracker._resource_tracker._stop()
