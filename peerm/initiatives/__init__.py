"""The directory of the network's co-operatives: who they are, what they need, who helps them."""
