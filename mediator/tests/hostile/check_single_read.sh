#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Structural half of the double-fetch defence (the race_* attacks are the dynamic half,
# and only probabilistic): in libtzm, the shared data area (a call's c.buf / c->buf) may
# be touched only as an argument of memcpy, in either direction, or of the iovec
# gather/scatter helpers, which copy each byte once. Any other use (indexing, strlen, a
# struct pointer into it) could read a byte the shadow rewrites between check and use,
# and fails this test. Each occurrence is checked, not each line.
# usage: check_single_read.sh <libtzm source dir>
set -u
dir=$1
perl -ne '
    while (/\bc(?:\.|->)buf\b/g) {
        my $pre = substr($_, 0, $-[0]);
        my $post = substr($_, $+[0]);
        my $ok = $pre =~ /\bmemcpy\(\s*$/                         # destination
              || $pre =~ /\bmemcpy\([^;(]*(\([^()]*\)[^;(]*)*,\s*$/  # source
              || $pre =~ /\b(scatter|gather)\([^;]*,\s*$/
              || ($pre =~ /^\s*$/ && $post =~ /^\s*=/);        # taking the pointer
        if (!$ok) { print "$ARGV:$.: $_"; $bad = 1; }
        $n++;
    }
    close ARGV if eof;
    END {
        if ($bad) { print STDERR "FAIL: data area used other than by a single copy\n"; exit 1 }
        print "ok: $n uses of the shared data area, all single copies\n";
    }
' "$dir"/*.c
