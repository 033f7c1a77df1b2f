def normalised(order):
    return {"orderId": order["orderId"], "sku": order["sku"].upper(), "quantity": int(order.get("quantity", 1))}
