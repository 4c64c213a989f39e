from tests.alternatives import Alternative

ALTERNATIVES = [
    # --- 6.1 train_epoch
    Alternative(
        task="6.1",
        name="zero_grad_set_to_none_false",
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            losses = []
            for indices in torch.randperm(len(x), generator=generator).split(batch_size):
                optimizer.zero_grad(set_to_none=False)
                loss = loss_fn(model(x[indices]), y[indices])
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return sum(losses) / len(losses)
        ''',
    ),
    Alternative(
        task="6.1",
        name="model_zero_grad_and_tensor_mean",
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            losses = []
            for indices in torch.randperm(len(x), generator=generator).split(batch_size):
                model.zero_grad()
                loss = loss_fn(model(x[indices]), y[indices])
                loss.backward()
                optimizer.step()
                losses.append(loss.detach())
            return torch.stack(losses).mean().item()
        ''',
    ),
    Alternative(
        task="6.1",
        name="slices_of_the_permutation_numpy_mean",
        source='''
        import numpy as np

        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            order = torch.randperm(x.shape[0], generator=generator)
            losses = []
            for start in range(0, len(order), batch_size):
                indices = order[start : start + batch_size]
                batch_x, batch_y = x[indices], y[indices]
                optimizer.zero_grad()
                output = model(batch_x)
                loss = loss_fn(output, batch_y)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return np.mean(losses)
        ''',
    ),
    Alternative(
        task="6.1",
        name="index_select_and_running_total",
        source='''
        def train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator=None):
            total, count = 0.0, 0
            for indices in torch.split(torch.randperm(len(x), generator=generator), batch_size):
                optimizer.zero_grad()
                loss = loss_fn(model(x.index_select(0, indices)), y.index_select(0, indices))
                loss.backward()
                optimizer.step()
                total += float(loss)
                count += 1
            return total / count
        ''',
    ),
    # --- 6.2 accuracy
    Alternative(
        task="6.2",
        name="float32_mean_item",
        source='''
        def accuracy(logits, target):
            return (logits.argmax(1) == target).float().mean().item()
        ''',
    ),
    Alternative(
        task="6.2",
        name="count_over_length",
        source='''
        def accuracy(logits, target):
            return int((logits.argmax(dim=-1) == target).sum()) / len(target)
        ''',
    ),
    Alternative(
        task="6.2",
        name="torch_max_and_numpy",
        source='''
        import numpy as np

        def accuracy(logits, target):
            predictions = logits.detach().max(dim=1).indices
            return np.mean((predictions == target).numpy())
        ''',
    ),
    Alternative(
        task="6.2",
        name="softmax_then_argmax",
        source='''
        def accuracy(logits, target):
            probabilities = torch.softmax(logits.detach().double(), dim=1)
            return float((probabilities.argmax(dim=1) == target).sum().item() / target.numel())
        ''',
    ),
    # --- 6.3 train_classifier
    Alternative(
        task="6.3",
        name="param_groups_by_hand",
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            loss_fn = nn.CrossEntropyLoss()
            losses = []
            for epoch in range(epochs):
                for group in optimizer.param_groups:
                    group["lr"] = lr0 / (1 + decay * epoch)
                losses.append(train_epoch(model, loss_fn, optimizer, x, y, batch_size, generator))
            return model, losses
        ''',
    ),
    Alternative(
        task="6.3",
        name="new_optimizer_every_epoch",
        source='''
        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            losses = []
            for epoch in range(epochs):
                optimizer = torch.optim.SGD(model.parameters(), lr=lr0 / (1 + decay * epoch))
                losses.append(train_epoch(model, nn.CrossEntropyLoss(), optimizer, x, y, batch_size, generator=generator))
            return model, losses
        ''',
    ),
    Alternative(
        task="6.3",
        name="own_loop_functional_loss",
        source='''
        import torch.nn.functional as F

        def train_classifier(x, y, epochs=20, batch_size=32, lr0=0.5, decay=0.01, generator=None):
            model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            optimizer = torch.optim.SGD(model.parameters(), lr=lr0)
            scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1 / (1 + decay * epoch))
            losses = []
            for _ in range(epochs):
                batch_losses = []
                for indices in torch.randperm(len(x), generator=generator).split(batch_size):
                    optimizer.zero_grad()
                    loss = F.cross_entropy(model(x[indices]), y[indices])
                    loss.backward()
                    optimizer.step()
                    batch_losses.append(loss.item())
                losses.append(sum(batch_losses) / len(batch_losses))
                scheduler.step()
            return model, losses
        ''',
    ),
]
