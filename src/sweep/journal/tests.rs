//! The journal's format: every cut a kill can make, every changed digit.

use super::*;

fn expect() -> Expect<'static> {
    Expect {
        id: "abc",
        shard: (1, 2),
        widths: Some((4, 5)),
    }
}

/// A journal of shard 1 of 2 with `blocks` blocks of two runs each (runs 1, 3, 5, ...).
fn journal(blocks: u64) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.csv");
    let mut f = File::create(&path).unwrap();
    writeln!(f, "{}", header("abc", 1, 2)).unwrap();
    let mut w = BlockWriter::new(&mut f, 0);
    for b in 0..blocks {
        for pos in 2 * b..2 * b + 2 {
            let g = 1 + 2 * pos;
            w.write_run(&format!("r,{g},{},0.{pos}5\ns,{g},0,1,2\n", 100 + g))
                .unwrap();
        }
        w.commit(2 * b + 2).unwrap();
    }
    drop(w);
    std::fs::read(&path).unwrap()
}

fn scan_bytes(bytes: &[u8]) -> Scan {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.csv");
    std::fs::write(&path, bytes).unwrap();
    scan(&path, &expect()).unwrap().unwrap()
}

#[test]
fn an_intact_journal_reads_whole() {
    let bytes = journal(3);
    let s = scan_bytes(&bytes);
    assert_eq!(s.damage, None);
    assert_eq!(s.done, 6);
    assert_eq!(s.intact_bytes, bytes.len() as u64);
    assert_eq!(s.damage, None);
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.lines().nth(5).unwrap().starts_with("c,0,2,4,"),
        "{text}"
    );
}

#[test]
fn every_cut_keeps_exactly_the_blocks_before_it() {
    let bytes = journal(3);
    let ends: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
        .collect();
    let commits: Vec<usize> = ends
        .iter()
        .copied()
        .filter(|&e| {
            let start = bytes[..e - 1]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1);
            bytes[start..].starts_with(b"c,")
        })
        .collect();
    for cut in 0..=bytes.len() {
        let s = scan_bytes(&bytes[..cut]);
        let kept = commits.iter().filter(|&&c| c <= cut).count() as u64;
        assert_eq!(s.done, 2 * kept, "cut at {cut}");
        assert!(s.damage.as_ref().is_none_or(|d| d.torn), "cut at {cut}");
        assert_eq!(
            s.damage.is_none(),
            cut == ends[0] || commits.contains(&cut) || cut == 0,
            "cut at {cut}: {:?}",
            s.damage
        );
    }
}

#[test]
fn every_changed_digit_is_caught() {
    let bytes = journal(3);
    let header_len = bytes.iter().position(|b| *b == b'\n').unwrap() + 1;
    for i in header_len..bytes.len() {
        // Every digit of the runs and the commit lines (checksums included).
        if !bytes[i].is_ascii_hexdigit() || bytes[i - 1] == b'\n' {
            continue;
        }
        for d in [b'0', b'7', b'a'] {
            if d == bytes[i] {
                continue;
            }
            let mut b = bytes.clone();
            b[i] = d;
            let s = scan_bytes(&b);
            let Some(damage) = &s.damage else {
                panic!("byte {i} changed to {} went unnoticed", d as char);
            };
            // Never taken for a torn tail; before the last block, intact blocks follow.
            assert!(!damage.torn, "byte {i}: {damage:?}");
            assert_eq!(
                damage.intact_after,
                s.done < 4,
                "byte {i}: {damage:?}, done {}",
                s.done
            );
        }
    }
}

#[test]
fn the_reader_hands_out_every_run_and_stops_at_any_change() {
    let bytes = journal(3);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.csv");
    let read_all = |bytes: &[u8]| -> Result<Vec<JournalRun>, SweepError> {
        std::fs::write(&path, bytes).unwrap();
        let mut r = JournalReader::open(&path, "abc", (1, 2))?;
        let mut runs = Vec::new();
        while let Some(run) = r.next_run()? {
            runs.push(run);
        }
        Ok(runs)
    };
    let runs = read_all(&bytes).unwrap();
    assert_eq!(runs.len(), 6);
    assert_eq!(
        runs[5],
        JournalRun {
            run: 11,
            seed: 111,
            outcomes: vec![Some(0.55)],
            steps: vec![KeptStep {
                step: 0,
                values: vec![Some(1.0), Some(2.0)]
            }],
        }
    );
    // Written back, reals take their decimal point.
    assert_eq!(runs[5].lines(), "r,11,111,0.55\ns,11,0,1.0,2.0\n");
    // Any changed digit, and any cut but at a block's end, stops the reader.
    let header_len = bytes.iter().position(|b| *b == b'\n').unwrap() + 1;
    for i in header_len..bytes.len() {
        if bytes[i].is_ascii_digit() {
            let mut b = bytes.clone();
            b[i] = if b[i] == b'5' { b'6' } else { b'5' };
            let e = read_all(&b).unwrap_err().to_string();
            assert!(e.contains("j.csv: line"), "byte {i}: {e}");
        }
    }
    let s = scan_bytes(&bytes[..bytes.len() - 3]);
    assert_eq!(s.done, 4);
    assert!(read_all(&bytes[..bytes.len() - 3]).is_err());
}

#[test]
fn an_overlong_line_is_damage_and_is_not_read_whole() {
    let bytes = journal(2);
    let text = String::from_utf8(bytes).unwrap();
    let first_commit = text.find("\nc,").unwrap() + 1;
    let end = first_commit + text[first_commit..].find('\n').unwrap() + 1;
    let long = "9".repeat(MAX_LINE + MAX_LINE / 2);
    let damaged = format!("{}{long}\n{}", &text[..end], &text[end..]);
    let s = scan_bytes(damaged.as_bytes());
    assert_eq!(s.done, 2);
    let d = s.damage.unwrap();
    assert!(!d.torn && d.intact_after, "{d:?}");
    assert!(d.why.contains("bytes long"), "{d:?}");
}
