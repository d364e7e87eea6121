"""PyTorch twin of the backbones engine's reference model (packages/backbones/src/engine/reference-model.ts).

Same structure and shapes: three stride-2 3x3 convs (1 -> 32 -> 64 -> d) over a 64x64 image as the
visual memory, a 2-layer pre-LN decoder (causal self-attention, cross-attention, tanh-GELU MLP),
d=128, 4 heads, T=40, vocab 1000, batch 8; 884,200 parameters. A step is forward + backward + Adam +
reading the loss, on one thread.

Run standalone:  /usr/bin/python3 apps/bench/perf/torch_twin.py --steps 20
Serve mode (used by `pnpm --filter @came-grad/backbones bench:perf`): reads lines "STEPS n" on stdin
and answers each with one JSON line {"ms": [...]} so that the Node driver can interleave rounds.
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.dh = heads, d // heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))

    def forward(self, xq, xkv, mask=None):
        b, tq, d = xq.shape
        tk = xkv.shape[1]
        q = self.q(xq).view(b, tq, self.heads, self.dh).transpose(1, 2)
        k = self.k(xkv).view(b, tk, self.heads, self.dh).transpose(1, 2)
        v = self.v(xkv).view(b, tk, self.heads, self.dh).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dh)
        if mask is not None:
            scores = scores + mask
        ctx = torch.softmax(scores, -1) @ v
        return self.o(ctx.transpose(1, 2).reshape(b, tq, d))


class Layer(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.self_attn, self.cross = Attention(d, heads), Attention(d, heads)
        self.up, self.down = nn.Linear(d, ffn), nn.Linear(ffn, d)

    def forward(self, x, mem, mask):
        h = self.ln1(x)
        x = x + self.self_attn(h, h, mask)
        x = x + self.cross(self.ln2(x), mem)
        return x + self.down(F.gelu(self.up(self.ln3(x)), approximate="tanh"))


class ReferenceModel(nn.Module):
    def __init__(self, d=128, heads=4, layers=2, ffn=512, vocab=1000, seq_len=40, channels=(32, 64)):
        super().__init__()
        c1, c2 = channels
        self.convs = nn.ModuleList(
            [nn.Conv2d(1, c1, 3, 2, 1), nn.Conv2d(c1, c2, 3, 2, 1), nn.Conv2d(c2, d, 3, 2, 1)]
        )
        self.embed = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(seq_len, d) * 0.1)
        self.layers = nn.ModuleList([Layer(d, heads, ffn) for _ in range(layers)])
        self.ln_final = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, images, tokens, targets):
        feat = images
        for conv in self.convs:
            feat = F.relu(conv(feat))
        mem = feat.flatten(2).transpose(1, 2)
        t = tokens.shape[1]
        mask = torch.triu(torch.full((t, t), -1e9), diagonal=1)
        x = self.embed(tokens) + self.pos[:t]
        for layer in self.layers:
            x = layer(x, mem, mask)
        logits = self.head(self.ln_final(x))
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def make_step(batch=8, image=64, seq_len=40, vocab=1000):
    torch.manual_seed(0)
    model = ReferenceModel(seq_len=seq_len, vocab=vocab)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    images = torch.rand(batch, 1, image, image)
    tokens = torch.randint(0, vocab, (batch, seq_len))
    targets = torch.randint(0, vocab, (batch, seq_len))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = model(images, tokens, targets)
        loss.backward()
        opt.step()
        return loss.item()

    return model, step


def timed(step, n):
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        step()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model, step = make_step()
    params = sum(p.numel() for p in model.parameters())
    for _ in range(3):
        step()
    if not args.serve:
        ms = sorted(timed(step, args.steps))
        print(json.dumps({"torch": torch.__version__, "threads": args.threads, "params": params, "median_ms": ms[len(ms) // 2]}))
        return
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "params": params}), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if len(parts) == 2 and parts[0] == "STEPS":
            print(json.dumps({"ms": timed(step, int(parts[1]))}), flush=True)
        elif parts and parts[0] == "QUIT":
            break


if __name__ == "__main__":
    main()
