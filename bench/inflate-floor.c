/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench/inflate-floor KDUMP: the floor of reading a zlib kdump-compressed
 * file's pages: every page's compressed bytes, already in memory, inflated
 * with zlib's uncompress() one after another, and nothing else (no
 * libkdumpfile, no cache, no walk). Prints the pages and the seconds; a
 * walk of the same dump on N threads cannot take less than this over N.
 *
 * The header fields are read at their offsets in makedumpfile's
 * disk_dump_header for a 64-bit little-endian machine (diskdump_mod.h):
 * block_size at 428, sub_hdr_size at 432, bitmap_blocks at 436; page
 * descriptors (u64 offset, u32 size, u32 flags, u64 page_flags) follow
 * the header, sub-header and bitmaps. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: inflate-floor KDUMP\n");
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(argv[1]);
		return 1;
	}
	size_t size = (size_t)st.st_size;
	unsigned char *f = malloc(size);
	if (!f || size < 448 || pread(fd, f, size, 0) != (ssize_t)size || memcmp(f, "KDUMP   ", 8)) {
		fprintf(stderr, "%s: not a kdump-compressed file read whole\n", argv[1]);
		return 1;
	}
	int32_t bs, sub;
	uint32_t bitmap_blocks;
	memcpy(&bs, f + 428, 4);
	memcpy(&sub, f + 432, 4);
	memcpy(&bitmap_blocks, f + 436, 4);
	if (bs <= 0 || bs > (1 << 20) || sub < 0) {
		fprintf(stderr, "%s: unexpected header\n", argv[1]);
		return 1;
	}
	unsigned char *out = malloc((size_t)bs);
	uint64_t pos = (1 + (uint64_t)sub + bitmap_blocks) * (uint64_t)bs, first_data = size;
	unsigned long pages = 0;
	double t0 = now();
	for (; pos + 24 <= size && pos < first_data; pos += 24) {
		uint64_t off;
		uint32_t len, flags;
		memcpy(&off, f + pos, 8);
		memcpy(&len, f + pos + 8, 4);
		memcpy(&flags, f + pos + 12, 4);
		if (!len || len > (uint32_t)bs || off > size || len > size - off)
			break;
		if (off < first_data)
			first_data = off;
		if (flags & 1) {	/* DUMP_DH_COMPRESSED_ZLIB */
			uLongf n = (uLongf)bs;
			if (uncompress(out, &n, f + off, len) != Z_OK) {
				fprintf(stderr, "%s: page at %llu does not inflate\n", argv[1],
					(unsigned long long)off);
				return 1;
			}
			pages++;
		}
	}
	printf("%lu %.4f\n", pages, now() - t0);
	return 0;
}
