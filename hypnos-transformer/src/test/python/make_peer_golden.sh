#!/bin/sh
# Regenerates src/test/resources/peer/: a small bundle and token batch written by our Java code
# (PeerFixture), and the embeddings z and next-token losses the PyTorch peer
# (bench/transformer/peer_torch.py, an independent implementation of DESIGN §6) computes for them.
# Needs Debian's /usr/bin/python3 with python3-torch and the test classpath in $CP, e.g.
#   CP=$(cat cp.txt) sh hypnos-transformer/src/test/python/make_peer_golden.sh
set -e
here=$(cd "$(dirname "$0")/../../.." && pwd)
out="$here/src/test/resources/peer"
java -Dai.djl.offline=true -cp "$CP" ai.hypnos.transformer.PeerFixture "$out"
/usr/bin/python3 "$here/../bench/transformer/peer_torch.py" "$out/peer_bundle.safetensors" \
    --check "$out/peer_expected.npz" --check-in "$out/peer_input.npz" --attention dense --threads 1
