#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with `posix_spawn` and collects its exit status and both
/// outputs. (Foundation's `Process` needs a CFRunLoop wake-up socket pair,
/// which the test VM's minimal kernel cannot make: it hangs there.)
func spawn(_ path: String, _ arguments: [String]) -> (status: Int32, output: String, error: String) {
    var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
    guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { return (-1, "", "pipe failed: errno \(errno)") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    for fd in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
    close(outPipe[1])
    close(errPipe[1])
    defer {
        close(outPipe[0])
        close(errPipe[0])
    }
    guard rc == 0 else { return (-1, "", "posix_spawn \(path) failed: errno \(rc)") }

    var collected: [[UInt8]] = [[], []]
    var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0),
               pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
    var open = 2
    var buffer = [UInt8](repeating: 0, count: 65536)
    while open > 0 {
        if poll(&fds, nfds_t(fds.count), -1) < 0 {
            if errno == EINTR { continue }
            break
        }
        for index in 0..<fds.count where fds[index].fd >= 0 && fds[index].revents != 0 {
            let n = buffer.withUnsafeMutableBytes { read(fds[index].fd, $0.baseAddress, $0.count) }
            if n > 0 {
                collected[index] += buffer[..<n]
            } else if n == 0 || errno != EINTR {
                fds[index].fd = -1
                open -= 1
            }
        }
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exited = status & 0x7f == 0
    return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f),
            String(decoding: collected[0], as: UTF8.self), String(decoding: collected[1], as: UTF8.self))
}
