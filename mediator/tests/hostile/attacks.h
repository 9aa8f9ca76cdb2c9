/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hostile shadow test's attack list, shared by the malicious shadow (sh_attacks.c,
 * one fabricator sh_<name> per attack) and the TA test program (ta_cases.c, one checker
 * ta_<name> per attack): a missing half is a link error, so the two cannot drift.
 *
 * In-band protocol: the TA writes "@attack <name>\n" to fd 1; the shadow arms that attack
 * and answers the next request with opcode OP (writes to fds 1 and 2 excepted: they carry
 * the control lines and libtzm's log) with the fabricated response. The TA checks that the
 * POSIX call failed cleanly (or was clamped) and that no byte outside the caller's buffer
 * changed. "@end\n" closes the run. The shadow checks that every attack was armed once,
 * fired as expected, and that libtzm logged exactly one "malformed response" line for
 * each rejected answer (so a rejection is the validation's doing, not an accident).
 *
 * X(name, OP, flags)
 */
#ifndef HOSTILE_ATTACKS_H
#define HOSTILE_ATTACKS_H

#define A_LOG 0x1u     /* libtzm must reject the answer: one malformed-response log line */
#define A_NOFIRE 0x2u  /* the call must not reach the shadow at all */
#define A_REPEAT 0x4u  /* stays armed (race loops); no log count check */
#define A_LOGBOMB 0x8u /* after firing, libtzm's log writes (fd 2) get malformed answers */

#define HOSTILE_ATTACKS(X)                                                                         \
	/* lengths */                                                                              \
	X(read_overlong, READ, A_LOG)                                                              \
	X(read_blob_mismatch, READ, A_LOG)                                                         \
	X(read_blob_beyond_area, READ, A_LOG)                                                      \
	X(read_negative_ret, READ, A_LOG)                                                          \
	X(read_errno_with_count, READ, A_LOG)                                                      \
	X(recv_overlong, RECVFROM, A_LOG)                                                          \
	X(recv_trunc_huge, RECVFROM, A_LOG)                                                        \
	X(recvfrom_addrlen_huge, RECVFROM, A_LOG)                                                  \
	X(recvfrom_addr_family, RECVFROM, A_LOG)                                                   \
	X(recvfrom_addr_truncated, RECVFROM, 0)                                                    \
	X(recvmsg_overlong, RECVFROM, A_LOG)                                                       \
	X(write_overlong, WRITE, A_LOG)                                                            \
	X(getsockopt_overlong, GETSOCKOPT, A_LOG)                                                  \
	X(mq_receive_overlong, MQ_RECEIVE, A_LOG)                                                  \
	X(mq_receive_prio, MQ_RECEIVE, A_LOG)                                                      \
	X(mq_getattr_insane, MQ_GETATTR, A_LOG)                                                    \
	/* descriptor numbers */                                                                   \
	X(accept_fd_range, ACCEPT4, A_LOG)                                                         \
	X(accept_fd_in_use, ACCEPT4, A_LOG)                                                        \
	X(socket_fd_max, SOCKET, A_LOG)                                                            \
	X(open_fd_in_use, OPENAT, A_LOG)                                                           \
	X(dup_fd_in_use, DUP, A_LOG)                                                               \
	X(dup2_other_fd, DUP, A_LOG)                                                               \
	X(dup2_out_of_range, DUP, A_LOG)                                                           \
	X(fcntl_dupfd_below_min, FCNTL, A_LOG)                                                     \
	X(fcntl_getfd_bogus, FCNTL, A_LOG)                                                         \
	X(pipe_same_fds, PIPE2, A_LOG)                                                             \
	X(pipe_fd_in_use, PIPE2, A_LOG)                                                            \
	X(socketpair_fd_negative, SOCKETPAIR, A_LOG)                                               \
	X(epoll_create_fd_range, EPOLL_CREATE1, A_LOG)                                             \
	X(mq_open_fd_in_use, MQ_OPEN, A_LOG)                                                       \
	/* socket addresses */                                                                     \
	X(accept_addr_truncated, ACCEPT4, 0)                                                       \
	X(accept_addr_too_long, ACCEPT4, A_LOG)                                                    \
	X(accept_addr_family_len, ACCEPT4, A_LOG)                                                  \
	X(getsockname_too_long, GETSOCKNAME, A_LOG)                                                \
	X(getsockname_unix_overlong, GETSOCKNAME, A_LOG)                                           \
	X(getpeername_truncated, GETPEERNAME, 0)                                                   \
	X(getpeername_bad_family, GETPEERNAME, A_LOG)                                              \
	/* readiness */                                                                            \
	X(poll_count, POLL, A_LOG)                                                                 \
	X(poll_revents_unrequested, POLL, A_LOG)                                                   \
	X(poll_fd_changed, POLL, A_LOG)                                                            \
	X(poll_count_mismatch, POLL, A_LOG)                                                        \
	X(poll_blob_short, POLL, A_LOG)                                                            \
	X(select_bogus_revents, POLL, A_LOG)                                                       \
	X(epoll_count, EPOLL_WAIT, A_LOG)                                                          \
	X(epoll_blob_mismatch, EPOLL_WAIT, A_LOG)                                                  \
	X(epoll_unknown_data, EPOLL_WAIT, A_LOG)                                                   \
	X(epoll_unrequested_events, EPOLL_WAIT, A_LOG)                                             \
	X(epoll_closed_fd_data, EPOLL_WAIT, A_LOG)                                                 \
	X(epoll_legit, EPOLL_WAIT, 0)                                                              \
	/* stat */                                                                                 \
	X(stat_blob_size, STAT, A_LOG)                                                             \
	X(stat_bad_mode, FSTAT, A_LOG)                                                             \
	X(stat_bad_nsec, FSTAT, A_LOG)                                                             \
	X(stat_negative_size, STAT, A_LOG)                                                         \
	/* directory entries */                                                                    \
	X(readdir_reclen_zero, GETDENTS, A_LOG)                                                    \
	X(readdir_namelen_overflow, GETDENTS, A_LOG)                                               \
	X(readdir_name_slash, GETDENTS, A_LOG)                                                     \
	X(readdir_reclen_beyond, GETDENTS, A_LOG)                                                  \
	X(readdir_count_mismatch, GETDENTS, A_LOG)                                                 \
	X(readdir_bad_type, GETDENTS, A_LOG)                                                       \
	/* name resolution */                                                                      \
	X(gai_count_zero, GETADDRINFO, A_LOG)                                                      \
	X(gai_count_huge, GETADDRINFO, A_LOG)                                                      \
	X(gai_family_mismatch, GETADDRINFO, A_LOG)                                                 \
	X(gai_addrlen, GETADDRINFO, A_LOG)                                                         \
	X(gai_protocol_mismatch, GETADDRINFO, A_LOG)                                               \
	X(gai_canon_unterminated, GETADDRINFO, A_LOG)                                              \
	X(gai_canon_unrequested, GETADDRINFO, A_LOG)                                               \
	X(gai_unknown_code, GETADDRINFO, A_LOG)                                                    \
	X(gai_system_errno, GETADDRINFO, A_LOG)                                                    \
	X(gai_legit, GETADDRINFO, 0)                                                               \
	X(gni_overlong, GETNAMEINFO, A_LOG)                                                        \
	X(gni_unterminated, GETNAMEINFO, A_LOG)                                                    \
	X(gni_system_errno, GETNAMEINFO, A_LOG)                                                    \
	X(gni_system_legit, GETNAMEINFO, 0)                                                        \
	/* network interfaces */                                                                   \
	X(ifa_version, GETIFADDRS, A_LOG)                                                          \
	X(ifa_count_huge, GETIFADDRS, A_LOG)                                                       \
	X(ifa_blob_mismatch, GETIFADDRS, A_LOG)                                                    \
	X(ifa_name_unterminated, GETIFADDRS, A_LOG)                                                \
	X(ifa_name_empty, GETIFADDRS, A_LOG)                                                       \
	X(ifa_name_slash, GETIFADDRS, A_LOG)                                                       \
	X(ifa_family_unix, GETIFADDRS, A_LOG)                                                      \
	X(ifa_inet_len, GETIFADDRS, A_LOG)                                                         \
	X(ifa_packet_halen, GETIFADDRS, A_LOG)                                                     \
	X(ifa_packet_index_zero, GETIFADDRS, A_LOG)                                                \
	X(ifa_netmask_family, GETIFADDRS, A_LOG)                                                   \
	X(ifa_netmask_holes, GETIFADDRS, A_LOG)                                                    \
	X(ifa_netmask_no_addr, GETIFADDRS, A_LOG)                                                  \
	X(ifa_netmask_packet, GETIFADDRS, A_LOG)                                                   \
	X(ifa_ifu_family, GETIFADDRS, A_LOG)                                                       \
	X(ifa_enobufs_legit, GETIFADDRS, 0)                                                        \
	X(ifa_legit, GETIFADDRS, 0)                                                                \
	X(ifn_version, IF_NAMEINDEX, A_LOG)                                                        \
	X(ifn_count_mismatch, IF_NAMEINDEX, A_LOG)                                                 \
	X(ifn_index_zero, IF_NAMEINDEX, A_LOG)                                                     \
	X(ifn_index_duplicate, IF_NAMEINDEX, A_LOG)                                                \
	X(ifn_name_duplicate, IF_NAMEINDEX, A_LOG)                                                 \
	X(ifn_name_unterminated, IF_NAMEINDEX, A_LOG)                                              \
	X(ifn_legit, IF_NAMEINDEX, 0)                                                              \
	X(n2i_zero, IF_NAMETOINDEX, A_LOG)                                                         \
	X(n2i_huge, IF_NAMETOINDEX, A_LOG)                                                         \
	X(n2i_enodev_legit, IF_NAMETOINDEX, 0)                                                     \
	X(i2n_unterminated, IF_INDEXTONAME, A_LOG)                                                 \
	X(i2n_length_mismatch, IF_INDEXTONAME, A_LOG)                                              \
	X(i2n_errno_foreign, IF_INDEXTONAME, A_LOG)                                                \
	/* time */                                                                                 \
	X(clock_nsec, CLOCK_GETTIME, A_LOG)                                                        \
	X(clock_negative, CLOCK_GETTIME, A_LOG)                                                    \
	X(clock_overflow, CLOCK_GETTIME, A_LOG)                                                    \
	X(clock_monotonic_local, CLOCK_GETTIME, A_NOFIRE)                                          \
	/* record locks: F_GETLK's holder, F_SETLK's result */                                     \
	X(getlk_bad_type, RECLOCK, A_LOG)                                                          \
	X(getlk_read_vs_read, RECLOCK, A_LOG)                                                      \
	X(getlk_whence_cur, RECLOCK, A_LOG)                                                        \
	X(getlk_negative_start, RECLOCK, A_LOG)                                                    \
	X(getlk_range_overflow, RECLOCK, A_LOG)                                                    \
	X(getlk_disjoint, RECLOCK, A_LOG)                                                          \
	X(getlk_pid_range, RECLOCK, A_LOG)                                                         \
	X(getlk_own_pid, RECLOCK, A_LOG)                                                           \
	X(getlk_unlocked_legit, RECLOCK, 0)                                                        \
	X(getlk_ofd_holder_legit, RECLOCK, 0)                                                      \
	X(setlk_ret_nonzero, RECLOCK, A_LOG)                                                       \
	X(setlk_errno_foreign, RECLOCK, A_LOG)                                                     \
	/* signals posted with an answer: a signal no peer can send, signal 0, a legal one */      \
	X(signal_bogus_kill, FSYNC, A_LOG)                                                         \
	X(signal_zero, FSYNC, A_LOG)                                                               \
	X(signal_blocked_legit, FSYNC, 0)                                                          \
	/* errno values */                                                                         \
	X(errno_out_of_range, FSYNC, A_LOG)                                                        \
	X(errno_wrong_class, STAT, A_LOG)                                                          \
	X(errno_negative, LSEEK, A_LOG)                                                            \
	X(errno_not_in_op_set, LSEEK, A_LOG)                                                       \
	/* an answer shaped for another call */                                                    \
	X(op_mismatch_read_stat, READ, A_LOG)                                                      \
	/* the log line reporting a malformed answer gets a malformed answer itself */             \
	X(log_write_malformed, READ, A_LOG | A_LOGBOMB)                                            \
	/* memory rewritten after the answer was published (double fetch) */                       \
	X(race_getnameinfo, GETNAMEINFO, A_REPEAT)                                                 \
	X(race_canon, GETADDRINFO, A_REPEAT)                                                       \
	X(race_stat, FSTAT, A_REPEAT)                                                              \
	X(race_dirent, GETDENTS, A_REPEAT)                                                         \
	X(race_resp_header, READ, A_REPEAT)

/* Fixed values both halves agree on. */
#define H_EP_DATA 0x1234u        /* data registered for the pipe's read end */
#define H_EP_DATA_CLOSED 0x5678u /* data registered for a descriptor closed since */
#define H_RACE_ROUNDS 5000
#define H_DIR_NAME "hostile-dir" /* opendir()ed by the TA, opened by the shadow as "." */
/*
 * Race answers keep their rewritten bytes beyond offset 128 of the data area where the
 * layout allows, so the TA's next request (a log line, say) is not garbled by them.
 */
#define H_HOST_LEN 200       /* race_getnameinfo: host name length */
#define H_CANON_LEN 200      /* race_canon: canonical name length */
#define H_LONG_NAME 200      /* race_dirent: a valid first entry, the raced one after it */
#define H_IF_NAME "hostile0" /* the interface of the network interface answers */
#define H_IF_INDEX 7u

/*
 * Channel-level scenarios: each is a separate run, the TA program gets argv
 * {target, "chan", name}. The start-record and ctrl-page ones must keep main from running.
 */
#define HOSTILE_CHANNEL(X)                                                                         \
	X(ctrl_version)                                                                            \
	X(ctrl_version_1)                                                                          \
	X(ctrl_magic)                                                                              \
	X(ctrl_data_size)                                                                          \
	X(setup_version)                                                                           \
	X(setup_arch)                                                                              \
	X(setup_argc0)                                                                             \
	X(setup_max_fds)                                                                           \
	X(setup_unterminated)                                                                      \
	X(setup_len)                                                                               \
	X(resp_seq_stale)                                                                          \
	X(resp_seq_skip)                                                                           \
	X(resp_cq_unknown)                                                                         \
	X(resp_skip_unlinked)                                                                      \
	X(resp_flags)                                                                              \
	X(ring_out_of_order)                                                                       \
	X(ring_duplicate)                                                                          \
	X(ring_link_ran)                                                                           \
	X(ring_write_more)                                                                         \
	X(ring_read_more)                                                                          \
	X(ring_read_link_more)                                                                     \
	X(ring_read_link_ran)                                                                      \
	X(resp_other_lane)                                                                         \
	X(resp_breach_wakes)                                                                       \
	X(bell_spurious)                                                                           \
	X(shadow_dies)

#endif
