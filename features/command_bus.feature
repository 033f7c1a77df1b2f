@command_bus
Feature: Commands on a queue, events on a bus
  A command (ProcessPayment) is an instruction addressed to one service: it
  travels on an SQS queue with exactly one consumer and waits there until it
  is processed; a message that keeps failing moves to a dead-letter queue. The
  outcome is an event (PaymentSucceeded or PaymentFailed), a fact broadcast on
  EventBridge to every subscriber whose rule matches, however many there are.
  Use a queue when you need to know who acts; a bus when you should not care.

    flowchart LR
      checkout -->|ProcessPayment| queue[[payment-processing]]
      queue -->|one consumer| processor[payment-processor]
      queue -.->|after 3 failed receives| dlq[[payment-processing-dlq]]
      processor -->|PaymentSucceeded / PaymentFailed| bus{{payments bus}}
      bus -->|both outcomes| notifications[[customer-notifications]]
      bus -->|PaymentSucceeded| shipping[[shipping]]
      bus -->|PaymentSucceeded >= 1000| audit[[large-payment-audit]]

  Background:
    Given the contracts in "contracts/"
    And the payment service is deployed

  Scenario: A payment is charged and its success is announced
    Given a "ProcessPayment" command with:
      """
      {"paymentId": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "orderId": "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f",
       "customerId": "3f1c2b9a-8d4e-4f6a-9b7c-1e2d3c4b5a69", "amount": {"amount": 39.9, "currency": "EUR"},
       "requestedAt": 1768471200000}
      """
    When it is sent to the "payment-processing" queue
    And the "payment-processing" queue is consumed by the "payment-processor" function
    Then exactly one "PaymentSucceeded" event is published
    And every published event conforms to its contract
    And the "payment-processing" queue holds no messages
    And the "Payments" table holds 1 item

  Scenario: The command has one consumer while the event reaches every matching subscriber
    Given a payment of 1500.00 EUR is requested
    When it is sent to the "payment-processing" queue
    And the "payment-processing" queue is consumed by the "payment-processor" function
    Then the "Payments" table holds 1 item
    And the "customer-notifications" queue holds one "PaymentSucceeded" message
    And the "shipping" queue holds one "PaymentSucceeded" message
    And the "large-payment-audit" queue holds one "PaymentSucceeded" message

  Scenario: A small payment does not reach the large-payment audit
    Given a payment of 39.90 EUR is requested
    When it is sent to the "payment-processing" queue
    And the "payment-processing" queue is consumed by the "payment-processor" function
    Then the "shipping" queue holds one "PaymentSucceeded" message
    And the "large-payment-audit" queue holds no messages

  Scenario: A declined payment is announced as PaymentFailed, and nothing ships
    Given a payment of 7500.00 USD is requested
    When it is sent to the "payment-processing" queue
    And the "payment-processing" queue is consumed by the "payment-processor" function
    Then exactly one "PaymentFailed" event is published
    And no "PaymentSucceeded" event is published
    And every published event conforms to its contract
    And the "customer-notifications" queue holds one "PaymentFailed" message
    And the "shipping" queue holds no messages

  Scenario: A command sent three times charges once and announces once
    Given a payment of 120.00 EUR is requested
    When it is sent to the "payment-processing" queue
    And it is delivered 3 times
    And the "payment-processing" queue is consumed by the "payment-processor" function
    Then exactly one "PaymentSucceeded" event is published
    And the "Payments" table holds 1 item

  @fakes_only
  Scenario: A redelivery after the processor died once it had finished still announces once
    Given the "payment-processor" function crashes right after its 3rd AWS call
    And a payment of 80.00 EUR is requested
    When it is sent to the "payment-processing" queue
    And the system settles
    Then the "payment-processor" function ran twice
    And exactly one "PaymentSucceeded" event is published
    And the "payment-processing" queue holds no messages

  @fakes_only
  Scenario: A message that is not a ProcessPayment ends on the dead-letter queue
    Given a "ProcessPayment" command with:
      """
      {"paymentId": "p-1", "orderId": "0f6f1a9e-5d3b-4c2a-9e8f-7a6b5c4d3e2f", "amount": 10}
      """
    Then the message breaks its contract at "/paymentId"
    When it is sent to the "payment-processing" queue
    And the system settles
    Then the "payment-processor" function ran 3 times
    And the "payment-processing-dlq" queue holds one message
    And the "payment-processing" queue holds no messages
    And no "PaymentSucceeded" event is published

  @fakes_only
  Scenario: A command stays on the queue until it is processed
    Given the "payment-processor" function crashes right before its 1st AWS call
    And a payment of 55.00 EUR is requested
    When it is sent to the "payment-processing" queue
    And the system settles
    Then the "payment-processor" function ran twice
    And exactly one "PaymentSucceeded" event is published
    And the "payment-processing" queue holds no messages
