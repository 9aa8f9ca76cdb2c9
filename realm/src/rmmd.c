// SPDX-License-Identifier: BSD-2-Clause
/*
 * tzm-rmm: the RMM model as its own process (tzm_rmm_proc.h). It owns the struct tzm_rmm,
 * hence all modelled physical memory: realm granules exist only in this address space.
 * The host (fd 3) reaches it only through RMI and Granule Protection Checked Non-secure
 * memory messages. A REC's code is a realm process, spawned on the REC's first REC_ENTER
 * from the image in the realm's own memory (its DATA granules, read through stage 2 from
 * the REC's pc: what the RIM measured is what runs), executed from a sealed memfd that
 * only this process and the realm hold, with nothing of the host's but stderr.
 *
 * Not dumpable: a process of the same user cannot ptrace it or read its memory
 * (/proc/PID/mem, process_vm_readv) unless it has CAP_SYS_PTRACE.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rmm_int.h"
#include "tzm_rmm_proc.h"

#define HOST_FD 3
#define SHARED_FD 4      /* the shared NS region's memfd, from the host (--shared-granules) */
#define REALM_SOCK_FD 3  /* in the realm process */
#define REALM_IMAGE_FD 4 /* in the realm process, closed by its entry code */
#define MAX_REALM_PROCS 16
#define MAX_IMAGE (256u << 20)
#define PSCI_SYSTEM_OFF 0x84000008u

struct realm_proc {
	uint64_t rec; /* PA of its REC, 0: free slot */
	pid_t pid;
	int sock;
};

struct rmmd {
	struct tzm_rmm *rmm;
	uint8_t *in;  /* a received message */
	uint8_t *out; /* data of a reply */
	struct realm_proc procs[MAX_REALM_PROCS];
	bool has_shared;
};

/* A reply carrying one fd (SCM_RIGHTS). */
static int send_msg_fd(int fd, unsigned type, const uint64_t *x, unsigned nx, int pass)
{
	struct tzm_rmmp_hdr h;
	struct iovec iov = { &h, sizeof(h) };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr m;
	ssize_t n;

	tzm_rmmp_header(&h, type, 0, x, nx, 0);
	memset(&m, 0, sizeof(m));
	memset(&ctl, 0, sizeof(ctl));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl.buf;
	m.msg_controllen = sizeof(ctl.buf);
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &pass, sizeof(int));
	do {
		n = sendmsg(fd, &m, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(h) ? 0 : -EIO;
}

static ssize_t recv_msg(int fd, uint8_t *buf)
{
	ssize_t n;
	do {
		n = recv(fd, buf, TZM_RMMP_MSG_MAX, MSG_TRUNC);
	} while (n < 0 && errno == EINTR);
	return n;
}

/* ---- realm processes ---- */

static void end_proc(struct realm_proc *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR) {
		}
	}
	if (p->sock >= 0) {
		close(p->sock);
	}
	p->pid = 0;
	p->sock = -1;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

/* Size of the ELF64 file whose header is eh: the furthest byte any table or segment
 * names. 0 for something else. */
static size_t elf_size(const uint8_t eh[64])
{
	if (memcmp(eh,
		   "\x7f"
		   "ELF",
		   4) != 0 ||
	    eh[4] != 2 /* ELFCLASS64 */ || eh[5] != 1 /* little endian */) {
		return 0;
	}
	uint64_t phoff = rd64(eh + 0x20), shoff = rd64(eh + 0x28);
	uint64_t phent = rd16(eh + 0x36), phnum = rd16(eh + 0x38);
	uint64_t shent = rd16(eh + 0x3A), shnum = rd16(eh + 0x3C);
	uint64_t end = 64;
	if (phoff > MAX_IMAGE || shoff > MAX_IMAGE || phent > 256 || shent > 256) {
		return 0;
	}
	if (phoff + phent * phnum > end) {
		end = phoff + phent * phnum;
	}
	if (shoff + shent * shnum > end) {
		end = shoff + shent * shnum;
	}
	return end <= MAX_IMAGE ? (size_t)end : 0;
}

/* Extends *size to the furthest byte of the program headers' segments in img. */
static int elf_segments(const uint8_t *img, size_t len, size_t *size)
{
	uint64_t phoff = rd64(img + 0x20), phent = rd16(img + 0x36), phnum = rd16(img + 0x38);
	for (uint64_t i = 0; i < phnum; i++) {
		const uint8_t *ph = img + phoff + i * phent;
		if (phent < 56 || phoff + (i + 1) * phent > len) {
			return -ENOEXEC;
		}
		uint64_t off = rd64(ph + 0x08), filesz = rd64(ph + 0x20);
		if (off > MAX_IMAGE || filesz > MAX_IMAGE || off + filesz > MAX_IMAGE) {
			return -ENOEXEC;
		}
		if (off + filesz > *size) {
			*size = (size_t)(off + filesz);
		}
	}
	return 0;
}

/* Reads the image at the REC's pc through stage 2. -EFAULT: the REC took an exit. */
static int read_image(struct tzm_vcpu *vcpu, uint8_t **img, size_t *len)
{
	uint8_t eh[64];
	uint64_t pc = tzm_vcpu_pc(vcpu);
	*img = NULL;
	if (tzm_vcpu_read(vcpu, pc, eh, sizeof(eh)) != 0) {
		return -EFAULT;
	}
	size_t n = elf_size(eh);
	if (n == 0) {
		fprintf(stderr, "tzm-rmm: the realm's image at IPA 0x%llx is not an ELF64 file\n",
			(unsigned long long)pc);
		return -ENOEXEC;
	}
	uint8_t *p = malloc(n);
	if (p == NULL || tzm_vcpu_read(vcpu, pc, p, n) != 0) {
		free(p);
		return p == NULL ? -ENOMEM : -EFAULT;
	}
	size_t full = n;
	if (elf_segments(p, n, &full) != 0) {
		free(p);
		return -ENOEXEC;
	}
	if (full > n) {
		uint8_t *q = realloc(p, full);
		if (q == NULL) {
			free(p);
			return -ENOMEM;
		}
		p = q;
		if (tzm_vcpu_read(vcpu, pc + n, p + n, full - n) != 0) {
			free(p);
			return -EFAULT;
		}
	}
	*img = p;
	*len = full;
	return 0;
}

/* The environment a realm process gets: its channel, and what makes it run at all in
 * this build (sanitizer options, the emulator's settings, the insecure switch). */
static char **realm_env(uint64_t ipa, size_t len)
{
	extern char **environ;
	static char *env[32];
	static char fdvar[] = "TZM_REALM_VCPU_FD=3";
	static char ipavar[64], lenvar[64];
	size_t n = 0;
	env[n++] = fdvar;
	/* where the image was found and how long it is: the realm's scratch page follows */
	snprintf(ipavar, sizeof(ipavar), "TZM_REALM_IMAGE_IPA=0x%llx", (unsigned long long)ipa);
	snprintf(lenvar, sizeof(lenvar), "TZM_REALM_IMAGE_SIZE=%zu", len);
	env[n++] = ipavar;
	env[n++] = lenvar;
	for (char **e = environ; *e != NULL && n < 31; e++) {
		if (strncmp(*e, "QEMU_", 5) == 0 || strncmp(*e, "ASAN_OPTIONS=", 13) == 0 ||
		    strncmp(*e, "UBSAN_OPTIONS=", 14) == 0 ||
		    strncmp(*e, "LSAN_OPTIONS=", 13) == 0 ||
		    strncmp(*e, "TZM_INSECURE_NO_SANDBOX=", 24) == 0) {
			env[n++] = *e;
		}
	}
	env[n] = NULL;
	return env;
}

static void __attribute__((noreturn)) exec_realm(int sock, int image, uint64_t ipa, size_t len)
{
	char *argv[16];
	char words[512];
	char path[] = "/proc/self/fd/4";
	char name[] = "realm";
	char *save = NULL;
	size_t n = 0;
	int null = open("/dev/null", O_RDWR);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (dup2(sock, REALM_SOCK_FD) != REALM_SOCK_FD ||
	    dup2(image, REALM_IMAGE_FD) != REALM_IMAGE_FD || null < 0 || dup2(null, 0) != 0 ||
	    dup2(null, 1) != 1) {
		_exit(127);
	}
	/* dup2 onto itself keeps close-on-exec: clear it (the emulator opens the image by path) */
	if (fcntl(REALM_SOCK_FD, F_SETFD, 0) != 0 || fcntl(REALM_IMAGE_FD, F_SETFD, 0) != 0) {
		_exit(127);
	}
	for (int fd = REALM_IMAGE_FD + 1; fd < 1024; fd++) {
		close(fd); /* nothing of the RMM's (the host's socket above all) */
	}
	char **env = realm_env(ipa, len);
	const char *wrap = getenv("TZM_EXEC_WRAPPER");
	if (wrap != NULL && *wrap != '\0' && strlen(wrap) < sizeof(words)) {
		/* a foreign-architecture build runs under qemu-user, which needs a path */
		memcpy(words, wrap, strlen(wrap) + 1);
		for (char *w = strtok_r(words, " \t", &save); w != NULL && n < 8;
		     w = strtok_r(NULL, " \t", &save)) {
			argv[n++] = w;
		}
		argv[n++] = path;
		argv[n] = NULL;
		execve(argv[0], argv, env);
	} else {
		argv[0] = name;
		argv[1] = NULL;
		fexecve(REALM_IMAGE_FD, argv, env);
	}
	fprintf(stderr, "tzm-rmm: cannot start the realm: %s\n", strerror(errno));
	_exit(127);
}

static int start_realm(struct realm_proc *p, struct tzm_vcpu *vcpu)
{
	uint8_t *img = NULL;
	size_t len = 0;
	int sv[2] = { -1, -1 }, mfd = -1, rc = read_image(vcpu, &img, &len);
	if (rc != 0) {
		goto out;
	}
	rc = -EIO;
	mfd = memfd_create("tzm-realm-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0 || write(mfd, img, len) != (ssize_t)len ||
	    fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) !=
		    0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		fprintf(stderr, "tzm-rmm: cannot stage the realm image: %s\n", strerror(errno));
		goto out;
	}
	pid_t pid = fork();
	if (pid == 0) {
		exec_realm(sv[1], mfd, tzm_vcpu_pc(vcpu), len);
	}
	if (pid < 0) {
		goto out;
	}
	p->pid = pid;
	p->sock = sv[0];
	sv[0] = -1;
	rc = 0;
out:
	free(img);
	if (mfd >= 0) {
		close(mfd);
	}
	if (sv[0] >= 0) {
		close(sv[0]);
	}
	if (sv[1] >= 0) {
		close(sv[1]);
	}
	return rc;
}

/* The realm is gone (or broke its protocol): to the host that is a SYSTEM_OFF. */
static void system_off(struct tzm_vcpu *vcpu)
{
	uint64_t *x = tzm_vcpu_gprs(vcpu);
	memset(x, 0, 31 * sizeof(uint64_t));
	x[0] = PSCI_SYSTEM_OFF;
	(void)tzm_vcpu_smc(vcpu);
}

static struct realm_proc *proc_for(struct rmmd *d, uint64_t rec)
{
	struct realm_proc *free_slot = NULL;
	for (unsigned i = 0; i < MAX_REALM_PROCS; i++) {
		if (d->procs[i].rec == rec) {
			return &d->procs[i];
		}
		if (d->procs[i].rec == 0 && free_slot == NULL) {
			free_slot = &d->procs[i];
		}
	}
	if (free_slot != NULL) {
		free_slot->rec = rec;
		free_slot->pid = 0;
		free_slot->sock = -1;
	}
	return free_slot;
}

/* REC_ENTER's realm side: runs the realm process until an SMC or a fault exits. */
static void vcpu_fn(void *arg, struct tzm_vcpu *vcpu)
{
	struct rmmd *d = arg;
	struct realm_proc *p = proc_for(d, tzm_vcpu_rec(vcpu));
	struct tzm_rmmp_hdr h;
	const uint8_t *data = NULL;

	if (p == NULL) {
		fprintf(stderr, "tzm-rmm: too many RECs with a realm process\n");
		system_off(vcpu);
		return;
	}
	if (p->pid == 0) {
		int rc = start_realm(p, vcpu);
		if (rc == -EFAULT) {
			return; /* the image is not all there: the REC exits with the abort */
		}
		if (rc != 0) {
			system_off(vcpu);
			return;
		}
	}
	if (tzm_rmmp_send(p->sock, TZM_RMMP_RUN, 0, tzm_vcpu_gprs(vcpu), 31, NULL, 0) != 0) {
		goto gone;
	}
	for (;;) {
		ssize_t n = recv_msg(p->sock, d->in);
		if (n <= 0) {
			goto gone;
		}
		if (tzm_rmmp_decode(d->in, (size_t)n, TZM_RMMP_REALM_REQUESTS, false, &h, &data) !=
		    0) {
			fprintf(stderr,
				"tzm-rmm: malformed message from the realm; it is stopped\n");
			goto gone;
		}
		int rc = 0;
		switch (h.type) {
		case TZM_RMMP_SMC:
			memcpy(tzm_vcpu_gprs(vcpu), h.x, 31 * sizeof(uint64_t));
			if (tzm_vcpu_smc(vcpu) != 0) {
				return; /* exits to the host; the answer comes with the next RUN */
			}
			rc = tzm_rmmp_send(p->sock, TZM_RMMP_SMC, 0, tzm_vcpu_gprs(vcpu), 31, NULL,
					   0);
			break;
		case TZM_RMMP_MEM_READ:
			if (tzm_vcpu_read(vcpu, h.x[0], d->out, (size_t)h.x[1]) != 0) {
				if (tzm__vcpu_exiting(vcpu)) {
					return; /* stage-2 abort: the realm retries after the next
						   RUN */
				}
				rc = tzm_rmmp_send(p->sock, TZM_RMMP_MEM_READ, -EFAULT, NULL, 0,
						   NULL, 0);
				break;
			}
			rc = tzm_rmmp_send(p->sock, TZM_RMMP_MEM_READ, 0, NULL, 0, d->out,
					   (size_t)h.x[1]);
			break;
		case TZM_RMMP_MAP_SHARED: {
			/* the realm maps its unprotected window directly: only granules of the
			 * shared NS region, as its stage 2 maps them now */
			uint64_t off = 0;
			if (!d->has_shared ||
			    tzm_vcpu_shared_offset(vcpu, h.x[0], (size_t)h.x[1], &off) != 0) {
				rc = tzm_rmmp_send(p->sock, TZM_RMMP_MAP_SHARED, -EACCES, NULL, 0,
						   NULL, 0);
				break;
			}
			rc = send_msg_fd(p->sock, TZM_RMMP_MAP_SHARED, &off, 1, SHARED_FD);
			break;
		}
		case TZM_RMMP_MEM_WRITE:
			if (tzm_vcpu_write(vcpu, h.x[0], data, h.data_len) != 0) {
				if (tzm__vcpu_exiting(vcpu)) {
					return;
				}
				rc = tzm_rmmp_send(p->sock, TZM_RMMP_MEM_WRITE, -EFAULT, NULL, 0,
						   NULL, 0);
				break;
			}
			rc = tzm_rmmp_send(p->sock, TZM_RMMP_MEM_WRITE, 0, NULL, 0, NULL, 0);
			break;
		default:
			goto gone;
		}
		if (rc != 0) {
			goto gone;
		}
	}
gone:
	end_proc(p);
	system_off(vcpu);
}

/* ---- the host's requests ---- */

static int serve_host(struct rmmd *d, const struct tzm_rmmp_hdr *h, const uint8_t *data)
{
	struct tzm_gpf gpf;
	uint64_t x[11];
	int rc;

	switch (h->type) {
	case TZM_RMMP_RMI: {
		struct tzm_smc_regs regs;
		memcpy(regs.x, h->x, sizeof(regs.x));
		tzm_rmi_call(d->rmm, &regs);
		return tzm_rmmp_send(HOST_FD, TZM_RMMP_RMI, 0, regs.x, 11, NULL, 0);
	}
	case TZM_RMMP_NS_READ:
	case TZM_RMMP_NS_WRITE:
		memset(&gpf, 0, sizeof(gpf));
		rc = h->type == TZM_RMMP_NS_READ
			     ? tzm_rmm_ns_read(d->rmm, h->x[0], d->out, (size_t)h->x[1], &gpf)
			     : tzm_rmm_ns_write(d->rmm, h->x[0], data, h->data_len, &gpf);
		x[0] = (uint64_t)gpf.kind;
		x[1] = gpf.pa;
		x[2] = gpf.level;
		x[3] = gpf.gpi;
		x[4] = (uint64_t)gpf.state;
		x[5] = (uint64_t)gpf.pas;
		if (rc != 0) {
			return tzm_rmmp_send(HOST_FD, h->type, rc == -EFAULT ? -EFAULT : -EINVAL, x,
					     6, NULL, 0);
		}
		return tzm_rmmp_send(HOST_FD, h->type, 0, x, 6, d->out,
				     h->type == TZM_RMMP_NS_READ ? (size_t)h->x[1] : 0);
	case TZM_RMMP_PLATFORM_KEY: {
		size_t len = 0;
		if (tzm_rmm_platform_key_pem(d->rmm, (char *)d->out, TZM_RMMP_MAX_DATA, &len) !=
		    0) {
			return tzm_rmmp_send(HOST_FD, h->type, -EIO, NULL, 0, NULL, 0);
		}
		return tzm_rmmp_send(HOST_FD, h->type, 0, NULL, 0, d->out, len);
	}
	case TZM_RMMP_INFO:
		tzm_rmm_dram(d->rmm, &x[0], &x[1]);
		tzm_rmm_shared(d->rmm, &x[2], &x[3]);
		return tzm_rmmp_send(HOST_FD, h->type, 0, x, 4, NULL, 0);
	default:
		return -EBADMSG;
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: tzm-rmm --dram-granules N [--platform-key PEM] "
			"[--shared-granules N]\n"
			"The RMM model as a process; started by `tzm realm run` with its socket "
			"on fd 3 (and the shared NS region's memfd on fd 4).\n");
}

int main(int argc, char **argv)
{
	struct tzm_rmm_config cfg;
	static struct rmmd d;
	int rc = 70;

	memset(&cfg, 0, sizeof(cfg));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dram-granules") == 0 && i + 1 < argc) {
			cfg.dram_granules = strtoul(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--platform-key") == 0 && i + 1 < argc) {
			cfg.platform_key_path = argv[++i];
		} else if (strcmp(argv[i], "--shared-granules") == 0 && i + 1 < argc) {
			cfg.shared_granules = strtoul(argv[++i], NULL, 10);
			cfg.shared_fd = SHARED_FD;
		} else {
			usage();
			return 64;
		}
	}
	if (cfg.dram_granules == 0 || cfg.dram_granules > (1u << 20) ||
	    fcntl(HOST_FD, F_GETFD) < 0 ||
	    (cfg.shared_granules > 0 && fcntl(SHARED_FD, F_SETFD, FD_CLOEXEC) != 0)) {
		usage();
		return 64;
	}
	/* nobody of the same user attaches to or reads this process; it ends with the host */
	if (prctl(PR_SET_DUMPABLE, 0) != 0 || prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
		fprintf(stderr, "tzm-rmm: cannot protect the process: %s\n", strerror(errno));
		return 70;
	}
	fcntl(HOST_FD, F_SETFD, FD_CLOEXEC);
	signal(SIGPIPE, SIG_IGN);
	d.in = malloc(TZM_RMMP_MSG_MAX);
	d.out = malloc(TZM_RMMP_MAX_DATA);
	for (unsigned i = 0; i < MAX_REALM_PROCS; i++) {
		d.procs[i].sock = -1;
	}
	if (d.in == NULL || d.out == NULL || tzm_rmm_create(&cfg, &d.rmm) != 0) {
		fprintf(stderr, "tzm-rmm: cannot create the machine\n");
		goto out;
	}
	tzm_rmm_set_vcpu_fn(d.rmm, vcpu_fn, &d);
	d.has_shared = cfg.shared_granules > 0;
	for (;;) {
		struct tzm_rmmp_hdr h;
		const uint8_t *data = NULL;
		ssize_t n = recv_msg(HOST_FD, d.in);
		if (n == 0) {
			rc = 0; /* the host is done */
			break;
		}
		if (n < 0 || tzm_rmmp_decode(d.in, (size_t)n, TZM_RMMP_HOST_REQUESTS, false, &h,
					     &data) != 0) {
			fprintf(stderr, "tzm-rmm: malformed request from the host; stopping\n");
			rc = 71;
			break;
		}
		if (serve_host(&d, &h, data) != 0) {
			rc = 71;
			break;
		}
	}
out:
	for (unsigned i = 0; i < MAX_REALM_PROCS; i++) {
		end_proc(&d.procs[i]);
	}
	if (d.rmm != NULL) {
		tzm_rmm_destroy(d.rmm);
	}
	free(d.in);
	free(d.out);
	return rc;
}
